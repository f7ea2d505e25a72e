/**
 * `kafkaform init`: adopts a cluster that already exists. Reads its live state and writes a folder
 * of manifests that plans as no change against it, with the cluster declared in `clusters.yaml`
 * and its credentials as `${VAR}` references (never their values).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { CLUSTER_TYPES, type ClusterSpec, type ClusterType, type JsonValue, type LiveState } from '../model.js';
import { adopt, adoptedFiles, describeOmitted } from '../adopt/index.js';
import { isKafkaVersion } from '../kafka/catalog.js';
import { checkSchema } from '../manifest/schema.js';
import { templateParts } from '../manifest/interpolate.js';
import type { WrittenCluster, WrittenConfigKeys } from '../manifest/written.js';
import { yamlLibrary } from '../manifest/yaml-library.js';
import { clusterNameFindings, scopePrefixFindings } from '../manifest/rules.js';
import { clusterSettingProblems, rulesOf, TARGET_KINDS } from '../targets/index.js';
import { settingName, SettingsChecker } from '../targets/settings.js';
import { writeFileAtomic } from '../targets/snapshot/file.js';
import { safe } from '../render/index.js';
import { reportError, EXIT } from './exit.js';
import { managedPrefixes, openCluster, selectCluster, withSession, type ClusterOptions } from './common.js';
import { resolvePath, useColor, type Io } from './io.js';

/** Options of `init`. */
export interface InitOptions extends ClusterOptions {
  /** The folder to write. */
  dir: string;
  /** Declare the cluster on the command line: its kind... */
  type?: string;
  /** ...and its settings, `key.path=value` (the value read as YAML). */
  set?: string[];
  /** Adopt the state recorded in this snapshot file (`export -o snapshot`). */
  fromSnapshot?: string;
  /** Adopt only topics, groups and transactional ids with these prefixes, and the bindings on them. */
  prefixes?: string[];
  /** One file per topic name prefix and per principal. */
  splitByPrefix?: boolean;
  /** Overwrite files that already exist. */
  force?: boolean;
}

/** The name a cluster declared on the command line gets without `--cluster`. */
export const DEFAULT_CLUSTER_NAME = 'default';

/**
 * A `--set` value: `true`/`false` and whole numbers as such, `[a, b]` and `{k: v}` read as YAML,
 * anything else the string exactly as typed (a password may hold `#` or `: `).
 */
function settingValueOf(text: string): JsonValue {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d{1,15}$/.test(text)) return Number(text);
  if (/^[[{]/.test(text)) {
    try {
      return yamlLibrary().parse(text) as JsonValue;
    } catch {
      throw new UsageError('a --set value starting with [ or { must be a YAML list or mapping');
    }
  }
  return text;
}

/** `sasl.password=x` → `{sasl: {password: x}}`, merged into `settings`. Values are never quoted back. */
function setSetting(settings: Record<string, JsonValue>, assignment: string): void {
  const eq = assignment.indexOf('=');
  const path = eq > 0 ? assignment.slice(0, eq).split('.') : [];
  if (path.length === 0 || path.some((p) => p === '' || p === '__proto__')) {
    throw new UsageError('--set takes key=value, the key a setting of the cluster (e.g. --set bootstrapServers=broker:9092)');
  }
  let node = settings;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, JsonValue>;
  }
  node[path[path.length - 1] as string] = settingValueOf(assignment.slice(eq + 1));
}

/** The JSON pointer of every value below `value`, so problems name the setting they are about. */
function pointers(value: JsonValue, at: string): string[] {
  if (value === null || typeof value !== 'object') return [at];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return [at, ...entries.flatMap(([k, v]) => pointers(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`))];
}

/** The cluster `--type`/`--set` or `--from-snapshot` declare, checked as a manifest would be. */
function commandLineCluster(options: InitOptions, cwd: string): ClusterSpec {
  const name = options.cluster ?? DEFAULT_CLUSTER_NAME;
  const type = options.fromSnapshot !== undefined ? 'snapshot' : (options.type ?? '');
  if (!(CLUSTER_TYPES as readonly string[]).includes(type)) throw new UsageError(`unknown cluster type "${safe(type)}"; use one of ${CLUSTER_TYPES.join(', ')}`);
  const settings: Record<string, JsonValue> = {};
  if (options.fromSnapshot !== undefined) settings['path'] = options.fromSnapshot;
  for (const assignment of options.set ?? []) setSetting(settings, assignment);
  const { kafkaVersion, ...rest } = settings;
  const version = kafkaVersion === undefined ? undefined : String(kafkaVersion);
  const at = { file: 'the command line', line: 1, column: 1, path: `/clusters/${name}` };
  const spec: ClusterSpec = {
    name,
    type: type as ClusterType,
    settings: rest,
    ...(version !== undefined && isKafkaVersion(version) ? { kafkaVersion: version } : {}),
    baseDir: cwd,
    source: at,
    settingSources: Object.fromEntries(pointers(rest, '').map((p) => [p, { ...at, path: `${at.path}${p}` }])),
  };
  const written = { type, ...(version !== undefined ? { kafkaVersion: version } : {}), ...rest };
  const problems = [
    ...clusterNameFindings(name).map((f) => ({ ...f, path: at.path })),
    ...checkSchema({ apiVersion: 'kafkaform/v1', clusters: { [name]: written } }, (path) => ({ ...at, path })),
    ...clusterSettingProblems(spec),
  ].filter((p) => p.severity === 'error');
  if (problems.length > 0) {
    const where = (path: string): string => {
      const setting = path.startsWith(`${at.path}/`) ? settingName(path.slice(at.path.length)) : '';
      return setting === '' ? '' : ` (--set ${setting})`;
    };
    throw new UsageError(problems.map((p) => `cluster ${safe(name)}: ${p.message}${where(p.path)}`).join('\n'));
  }
  return spec;
}

/** Records which settings a kind's check treats as credentials. */
class CredentialFinder extends SettingsChecker {
  readonly credentials: string[] = [];

  override secret(path: string): void {
    this.credentials.push(path);
  }
}

/** `prod` + `/sasl/password` → `PROD_SASL_PASSWORD`. */
function variableName(cluster: string, path: string): string {
  return `${cluster}_${settingName(path)}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_').replace(/^(?=\d)/, '_');
}

/** A copy of a JSON value with the value at `path` replaced. */
function withValue(value: JsonValue, path: string[], replacement: JsonValue): JsonValue {
  if (path.length === 0) return replacement;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const [head, ...rest] = path as [string, ...string[]];
  return { ...value, [head]: withValue(value[head] ?? null, rest, replacement) };
}

/** Settings naming files: `path`, and any key ending in `File` (`caFile`, `tls.certFile`). */
function isFileSetting(key: string): boolean {
  return key === 'path' || key.endsWith('File');
}

/**
 * The cluster as `clusters.yaml` in `dir` declares it: every credential a `${VAR}` reference
 * (a literal one, or a reference's literal default, is replaced by a variable named after the
 * cluster and setting), relative file paths rewritten to stay pointing at the same file.
 * Returns the variables the user must set.
 */
function writtenCluster(spec: ClusterSpec, dir: string): { cluster: WrittenCluster; variables: { name: string; setting: string }[] } {
  const finder = new CredentialFinder(spec.settings, 'written');
  TARGET_KINDS[spec.type].checkSettings(finder);
  let settings: JsonValue = spec.settings;
  const variables: { name: string; setting: string }[] = [];
  for (const path of [...new Set(finder.credentials)].sort()) {
    const keys = path.split('/').slice(1);
    const current = keys.reduce<JsonValue | undefined>((node, k) => (node !== null && typeof node === 'object' && !Array.isArray(node) ? node[k] : undefined), settings);
    if (typeof current !== 'string') continue;
    const parts = templateParts(current);
    const only = parts.length === 1 ? parts[0] : undefined;
    const name = only !== undefined && 'reference' in only ? only.reference : variableName(spec.name, path);
    settings = withValue(settings, keys, `\${${name}}`);
    variables.push({ name, setting: settingName(path) });
  }
  const rebase = (value: JsonValue, key: string): JsonValue => {
    if (typeof value === 'string') {
      if (!isFileSetting(key) || isAbsolute(value) || templateParts(value).some((p) => 'reference' in p)) return value;
      return relative(dir, resolve(spec.baseDir, value)).split(sep).join('/') || '.';
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebase(v, k)]));
  };
  const rebased = rebase(settings, '') as Record<string, JsonValue>;
  return {
    cluster: { type: spec.type, ...(spec.kafkaVersion !== undefined ? { kafkaVersion: spec.kafkaVersion } : {}), ...rebased },
    variables,
  };
}

/** What one adoption read: the cluster, its kind's ignored config prefixes and the source manifests' config keys. */
interface Source {
  spec: ClusterSpec;
  type: ClusterType;
  live: LiveState;
  ignoredConfigPrefixes: string[];
  configKeys?: WrittenConfigKeys;
}

const NO_SOURCE =
  'no cluster to adopt; name manifests declaring it (kafkaform init DIR clusters.yaml), declare it with --type and --set, or give --from-snapshot FILE';

/** Reads the cluster the options name: on the command line, or declared in the manifests. */
async function readSource(options: InitOptions, io: Io): Promise<Source> {
  const fromCommandLine = options.type !== undefined || options.fromSnapshot !== undefined || (options.set ?? []).length > 0;
  if (!fromCommandLine) {
    // Never the current directory by default: it may be the very folder being written.
    if ((options.paths ?? []).length === 0) throw new UsageError(NO_SOURCE);
    return withSession(options, io, async (session) => {
      const { ignoredConfigPrefixes, vendorConfigPrefixes } = session.manifests;
      const configKeys: WrittenConfigKeys = {
        ...(ignoredConfigPrefixes !== undefined ? { ignoredPrefixes: ignoredConfigPrefixes } : {}),
        ...(vendorConfigPrefixes.length > 0 ? { vendorPrefixes: vendorConfigPrefixes } : {}),
      };
      return {
        spec: session.spec,
        type: session.rules.type,
        live: session.live,
        ignoredConfigPrefixes: managedPrefixes(session),
        ...(Object.keys(configKeys).length > 0 ? { configKeys } : {}),
      };
    }, undefined, (clusters) => {
      if (clusters.length === 0) {
        throw new UsageError(`${NO_SOURCE.replace('no cluster to adopt', 'no cluster to adopt: the manifests declare none')}`);
      }
      return selectCluster(clusters, options.cluster, io);
    });
  }
  if ((options.paths ?? []).length > 0) throw new UsageError('give either manifests declaring the cluster or --type/--set/--from-snapshot, not both');
  if (options.type !== undefined && options.fromSnapshot !== undefined) throw new UsageError('give either --type or --from-snapshot, not both');
  if (options.type === undefined && options.fromSnapshot === undefined) throw new UsageError('--set needs --type: the kind of cluster the settings are for');
  const spec = commandLineCluster(options, resolvePath(io, '.'));
  const opened = openCluster(spec, io, options, (line) => io.stderr(`${line}\n`));
  try {
    const target = await opened.target;
    try {
      const live = await target.read();
      const rules = rulesOf(target);
      return { spec, type: rules.type, live, ignoredConfigPrefixes: [...target.capabilities.managedConfigPrefixes].sort() };
    } finally {
      await target.close();
    }
  } finally {
    opened.deadline.dispose();
  }
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** Writes the adopted manifests of a cluster into a folder. Exit 0, or 1 on error. */
export async function init(options: InitOptions, io: Io): Promise<number> {
  try {
    const prefixes = [...new Set(options.prefixes ?? [])].sort();
    for (const p of prefixes) {
      const problem = scopePrefixFindings(p)[0];
      if (problem) throw new UsageError(`--prefix: ${problem.message}`);
    }
    const dir = resolvePath(io, options.dir);
    const source = await readSource(options, io);
    const { cluster, variables } = writtenCluster(source.spec, dir);
    const adopted = adopt(source.live, { ignoredConfigPrefixes: source.ignoredConfigPrefixes, prefixes });
    const files = adoptedFiles(adopted, {
      header: [`Adopted by kafkaform init from cluster ${source.spec.name} (${source.type}).`],
      clusters: { [source.spec.name]: cluster },
      ...(source.configKeys ? { configKeys: source.configKeys } : {}),
      splitByPrefix: options.splitByPrefix === true,
    });
    const existing = files.filter((f) => existsSync(join(dir, f.path)));
    if (existing.length > 0 && options.force !== true) {
      throw new UsageError(`${existing.map((f) => join(options.dir, f.path)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written (use --force to overwrite)`);
    }
    for (const f of files) {
      const path = join(dir, f.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, f.text);
    }
    for (const o of adopted.omitted) io.stderr(`warning: ${describeOmitted(o)} is sensitive and was not exported\n`);
    const topics = adopted.topics.length;
    const bindings = adopted.bindings;
    const lines = [
      `Adopted ${count(topics, 'topic')} and ${count(bindings, 'ACL binding')} of cluster ${source.spec.name} into ${options.dir}:`,
      ...files.map((f) => `  ${join(options.dir, f.path)}`),
      ...(variables.length > 0
        ? ['', 'Credentials are read from the environment when the cluster is used; set:', ...variables.map((v) => `  ${v.name} (${v.setting})`)]
        : []),
      '',
      `Next: kafkaform plan ${options.dir} (it should show no changes), then commit the folder.`,
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } catch (e) {
    return reportError(e, { stderr: io.stderr, debug: options.debug === true, color: useColor(io) });
  }
}
