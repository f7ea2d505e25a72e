// Generates src/kafka/catalog/<major.minor>.json: the topic configs of each supported Kafka version
// as Kafka's own code defines them (LogConfig's ConfigDef and the broker synonyms), read by
// CatalogDump.java from the jars Maven Central serves. Needs Java (17+) and Maven; kafkaform itself
// never does: the runtime reads the committed files. The jars are cached under
// ~/.cache/kafkaform/catalog-jars/<version> (Maven's own cache under ~/.m2 makes a re-download cheap).
// test/kafka/catalog-generated.test.ts regenerates in memory and fails when a file is stale.
// Usage: node scripts/kafka-catalog/generate.mjs [--check]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const catalogDir = join(root, 'src', 'kafka', 'catalog');

/** The supported versions: the newest patch release of each minor line. */
export const KAFKA_VERSIONS = ['3.7.2', '3.8.1', '3.9.2', '4.0.2', '4.1.2', '4.2.2', '4.3.1', '4.4.0'];

const cacheDir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kafkaform', 'catalog-jars');

/** True when `java` and `mvn` both run. */
export function toolsPresent() {
  const ok = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  return ok('java', ['-version']) && ok('mvn', ['-v']);
}

/** The jars that define `version`'s topic configs, downloaded once into the cache. */
function jars(version) {
  const dir = join(cacheDir, version);
  if (!existsSync(dir)) {
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    const r = spawnSync(
      'mvn',
      [
        '-B', '-q', '-f', join(here, 'pom.xml'),
        'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
        `-Dkafka.version=${version}`, '-DincludeScope=runtime', `-DoutputDirectory=${partial}`,
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`mvn could not fetch Kafka ${version}:\n${r.stdout}${r.stderr}`);
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(partial, dir);
  }
  return readdirSync(dir).filter((f) => f.endsWith('.jar')).sort().map((f) => join(dir, f));
}

/** One file's text: the version, then one config a line (compact, yet a change shows as one line). */
function render(version, configs) {
  const lines = configs.map((c) => JSON.stringify(c));
  return `{"kafka":${JSON.stringify(version)},"configs":[\n${lines.join(',\n')}\n]}\n`;
}

/** Every catalog file's name and text, generated from Kafka's jars. */
export function generate() {
  const args = KAFKA_VERSIONS.map((v) => `${v}=${jars(v).join(delimiter)}`);
  const r = spawnSync('java', [join(here, 'CatalogDump.java'), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`CatalogDump failed:\n${r.stderr}`);
  const dump = JSON.parse(r.stdout);
  return new Map(
    KAFKA_VERSIONS.map((v) => [`${v.split('.').slice(0, 2).join('.')}.json`, render(v, dump[v].configs)]),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = generate();
  if (process.argv.includes('--check')) {
    const stale = [...files].filter(([name, text]) => !existsSync(join(catalogDir, name)) || readFileSync(join(catalogDir, name), 'utf8') !== text);
    for (const [name] of stale) console.error(`stale: src/kafka/catalog/${name}`);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  mkdirSync(catalogDir, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(catalogDir, name), text);
}
