// Runs every test/**/*.test.ts (or the files given) with node's test runner: node 20 does not
// expand globs itself. The tests get a temporary directory of their own (TMPDIR), removed
// afterwards, so the scratch copies, snapshots and bundles they make never pile up in /tmp.
//
// When a selected file uses the real Kafka brokers (it imports test/support/broker.ts, directly or
// through another test file), they are started first (test/broker/brokers.mjs) and always stopped
// afterwards, also when tests fail or the run is interrupted. Without Java 17+ and Maven those tests
// are skipped, unless KAFKAFORM_REQUIRE_BROKER=1 (CI) makes that a failure. A run given
// KAFKAFORM_TEST_BROKERS (a state file of `brokers.mjs start`) uses those brokers instead.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { brokerPrerequisiteProblem, startBrokers, stopBrokers } from './broker/brokers.mjs';

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? collect(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []))
    .sort();
}

const BROKER_SUPPORT = resolve('test/support/broker.ts');
const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

// Whether file reaches test/support/broker.ts through its relative imports.
function usesBrokers(file, seen = new Set()) {
  const path = resolve(file);
  if (path === BROKER_SUPPORT) return true;
  if (seen.has(path) || !existsSync(path)) return false;
  seen.add(path);
  const source = readFileSync(path, 'utf8');
  return [...source.matchAll(IMPORT)].some(([, spec]) => {
    const target = resolve(dirname(path), spec).replace(/\.js$/, '.ts');
    return target.startsWith(resolve('test')) && usesBrokers(target, seen);
  });
}

const say = (line) => process.stderr.write(`${line}\n`);
const files = process.argv.length > 2 ? process.argv.slice(2) : collect('test');
const scratch = mkdtempSync(join(tmpdir(), 'kafkaform-tests-'));
const env = { ...process.env, TMPDIR: scratch };
let brokers;
let child;

function cleanUp() {
  if (brokers) stopBrokers(brokers);
  brokers = undefined;
  rmSync(scratch, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    child?.kill(signal);
    process.exit(code);
  });
}

if (process.env.KAFKAFORM_TEST_BROKERS) {
  say(`kafkaform tests: using the Kafka brokers of ${process.env.KAFKAFORM_TEST_BROKERS}`);
} else if (files.some((f) => usesBrokers(f))) {
  const require = process.env.KAFKAFORM_REQUIRE_BROKER === '1';
  const problem = brokerPrerequisiteProblem();
  if (problem) {
    const outcome = require ? 'failing, as KAFKAFORM_REQUIRE_BROKER=1' : 'broker tests are skipped';
    say(`kafkaform tests: no Kafka broker (${problem}; needs Java 17+, Maven and openssl, see docs/testing.md): ${outcome}`);
    if (require) process.exit(1);
  } else {
    const started = Date.now();
    try {
      const stateFile = join(scratch, 'kafka-brokers.json');
      brokers = await startBrokers({ stateFile, log: (line) => say(`kafkaform tests: ${line}`) });
      env.KAFKAFORM_TEST_BROKERS = stateFile;
      say(`kafkaform tests: Apache Kafka ${brokers.version} brokers ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (e) {
      say(`kafkaform tests: the Kafka brokers did not start: ${e.message}`);
      if (require) process.exit(1);
      say('kafkaform tests: broker tests are skipped');
    }
  }
}

child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
const code = await new Promise((done) => child.once('exit', done));
process.exit(code ?? 1);
