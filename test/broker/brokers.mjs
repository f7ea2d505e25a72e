// Starts and stops the real Apache Kafka brokers the tests run against, as plain `java` processes
// on 127.0.0.1 with random ports (README, "Running the tests"). Two clusters start in parallel:
//   single  one KRaft node with SASL (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER) over SASL_PLAINTEXT
//           and SASL_SSL and the ACL authorizer; users admin (super user), alice and nobody (no
//           rights); OAUTHBEARER takes unsigned JWTs (alg none), whose `sub` is the principal
//   trio    three combined KRaft nodes, PLAINTEXT, no authorizer, racks a/b/c
// Usage as a module: startBrokers(options) → state, stopBrokers(state).
// Usage as a command: node test/broker/brokers.mjs start [--state FILE] | stop --state FILE
//
// Every run records its owner's pid and its brokers' pids in a pid file in the cache directory;
// the next start kills the brokers of any run whose owner is gone (a run killed with SIGKILL).
// Plain Node ESM on purpose: test/run.mjs imports it before tsx is in play.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The Kafka version started unless KAFKAFORM_KAFKA_VERSION or options.version says otherwise. */
export const DEFAULT_KAFKA_VERSION = '4.4.0';

const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies';
const USERS = ['admin', 'alice', 'nobody'];
const RACKS = ['a', 'b', 'c'];

/** Root of what this script keeps between runs: the broker jars and the pid files of live runs. */
export function cacheRoot() {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kafkaform');
}

function runsDir() {
  return join(cacheRoot(), 'broker-runs');
}

/**
 * Why brokers cannot run on this machine ('java not found', 'java is 11.0.2', 'mvn not found',
 * 'openssl not found'), or undefined when they can. Cheap enough to call before starting them.
 */
export function brokerPrerequisiteProblem() {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) return 'java not found';
  const m = /version "(\d+)(?:\.(\d+))?/.exec(java.stderr);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : 0;
  if (major < 17) return `java is ${m ? m[0].slice(9, -1) : 'of unknown version'}`;
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) return 'mvn not found';
  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (openssl.error || openssl.status !== 0) return 'openssl not found';
  return undefined;
}

/**
 * The directory of Kafka's jars for a version, copied there by Maven from test/broker/pom.xml on
 * first use. Maven's ~/.m2 cache keeps the downloads: when it is warm no network is needed.
 */
export function ensureKafkaJars(version = process.env.KAFKAFORM_KAFKA_VERSION || DEFAULT_KAFKA_VERSION, log = () => {}) {
  const libs = join(cacheRoot(), `kafka-${version}`, 'libs');
  if (existsSync(join(libs, '.complete'))) return libs;
  mkdirSync(dirname(libs), { recursive: true });
  // Copied aside and renamed into place, so a concurrent run never sees half a directory.
  const partial = `${libs}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const args = [
    '-B',
    '-q',
    '-f',
    join(here, 'pom.xml'),
    DEPENDENCY_PLUGIN,
    `-Dkafka.version=${version}`,
    `-DoutputDirectory=${partial}`,
  ];
  // Offline first: a warm Maven cache must not need the network. Only if that fails go online.
  let r = spawnSync('mvn', ['-o', ...args], { encoding: 'utf8' });
  if (r.status !== 0) {
    log(`fetching Apache Kafka ${version} from Maven Central...`);
    r = spawnSync('mvn', args, { encoding: 'utf8' });
  }
  if (r.error || r.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`Maven could not fetch Apache Kafka ${version}:\n${out || r.error?.message}`);
  }
  writeFileSync(join(partial, '.complete'), `${version}\n`);
  try {
    renameSync(partial, libs);
  } catch (e) {
    // Another run finished first; its copy is as good as ours.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(libs, '.complete'))) throw e;
  }
  return libs;
}

async function freePorts(n) {
  // All held open together so they are distinct; the broker binds them a moment later.
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((res, rej) => {
          const s = createServer();
          s.once('error', rej);
          s.listen(0, '127.0.0.1', () => res(s));
        }),
    ),
  );
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
  return ports;
}

function clusterId() {
  // Like Kafka's own Uuid.randomUuid: an id starting with '-' would read as an option of `format`.
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function properties(entries) {
  return `${Object.entries(entries)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

// Settings both clusters share: small, fast and without surprises for tests.
const COMMON_SETTINGS = {
  'controller.listener.names': 'CONTROLLER',
  'controller.quorum.append.linger.ms': 1,
  'log.cleaner.dedupe.buffer.size': 8388608,
  'auto.create.topics.enable': false,
  'group.initial.rebalance.delay.ms': 0,
  'num.network.threads': 2,
  'num.io.threads': 2,
  'num.partitions': 1,
};

function makeCertificates(dir) {
  const openssl = (...args) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr || r.error?.message}`);
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=kafkaform test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt',
    '-days', '2', '-extfile', 'server.ext');
  // Kafka's PEM keystore: the unencrypted PKCS#8 key followed by the certificate chain.
  writeFileSync(
    join(dir, 'server.pem'),
    readFileSync(join(dir, 'server.key'), 'utf8') + readFileSync(join(dir, 'server.crt'), 'utf8') + readFileSync(join(dir, 'ca.pem'), 'utf8'),
  );
  return { caFile: join(dir, 'ca.pem'), keystore: join(dir, 'server.pem') };
}

function jaasQuote(s) {
  return `"${s}"`;
}

function singleNode(dir, ports, passwords) {
  const [sasl, ssl, controller] = ports;
  const certs = makeCertificates(dir);
  const plain =
    `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password=${jaasQuote(passwords.admin)} ` +
    USERS.map((u) => `user_${u}=${jaasQuote(passwords[u])}`).join(' ') +
    ';';
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  // No server callback handler configured: Kafka validates OAUTHBEARER tokens with its unsecured
  // JWS validator (alg none, an `exp` claim, the principal from `sub`), standing in for an
  // identity provider. The login claim is the broker's own token, needed though it never uses it.
  const oauthbearer = 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="admin";';
  const perListener = {};
  for (const listener of ['sasl_plaintext', 'sasl_ssl']) {
    perListener[`listener.name.${listener}.plain.sasl.jaas.config`] = plain;
    perListener[`listener.name.${listener}.scram-sha-256.sasl.jaas.config`] = scram;
    perListener[`listener.name.${listener}.scram-sha-512.sasl.jaas.config`] = scram;
    perListener[`listener.name.${listener}.oauthbearer.sasl.jaas.config`] = oauthbearer;
  }
  const config = {
    ...COMMON_SETTINGS,
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controller}`,
    listeners: `SASL_PLAINTEXT://127.0.0.1:${sasl},SASL_SSL://127.0.0.1:${ssl},CONTROLLER://127.0.0.1:${controller}`,
    'advertised.listeners': `SASL_PLAINTEXT://127.0.0.1:${sasl},SASL_SSL://127.0.0.1:${ssl}`,
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL',
    'inter.broker.listener.name': 'SASL_PLAINTEXT',
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
    'sasl.mechanism.inter.broker.protocol': 'PLAIN',
    ...perListener,
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': certs.keystore,
    'ssl.client.auth': 'none',
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    // ANONYMOUS: the CONTROLLER listener is PLAINTEXT; without it the broker's registration is refused.
    'super.users': 'User:admin;User:ANONYMOUS',
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'log.dirs': join(dir, 'data'),
  };
  const scramArgs = USERS.flatMap((u) =>
    ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => ['--add-scram', `${m}=[name=${u},password=${passwords[u]}]`]),
  );
  return { name: 'single', dir, config, formatArgs: scramArgs, caFile: certs.caFile };
}

function trioNode(dir, id, clientPort, controllerPorts) {
  const voters = controllerPorts.map((p, i) => `${i + 1}@127.0.0.1:${p}`).join(',');
  const config = {
    ...COMMON_SETTINGS,
    'process.roles': 'broker,controller',
    'node.id': id,
    'broker.rack': RACKS[id - 1],
    'controller.quorum.voters': voters,
    listeners: `PLAINTEXT://127.0.0.1:${clientPort},CONTROLLER://127.0.0.1:${controllerPorts[id - 1]}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${clientPort}`,
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': join(dir, 'data'),
  };
  return { name: `trio-${id}`, dir, config, formatArgs: [] };
}

const LOG4J = `status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
`;

function javaArgs(libs, dir, heap, mainClass, args) {
  return [
    `-Xmx${heap}`,
    '-Xms32m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(dir, '..', 'log4j2.properties')}`,
    '-cp',
    join(libs, '*'),
    mainClass,
    ...args,
  ];
}

function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function format(libs, node, id, record) {
  return new Promise((res, rej) => {
    const log = join(node.dir, 'format.log');
    const fd = openSync(log, 'w');
    const child = spawn(
      'java',
      javaArgs(libs, node.dir, '128m', 'kafka.tools.StorageTool', [
        'format',
        '--cluster-id',
        id,
        '--config',
        join(node.dir, 'server.properties'),
        ...node.formatArgs,
      ]),
      { stdio: ['ignore', fd, fd] },
    );
    closeSync(fd);
    record.add(child.pid);
    child.once('error', rej);
    child.once('exit', (code) =>
      code === 0 ? res() : rej(new Error(`formatting ${node.name} failed (exit ${code}):\n${tail(log)}`)),
    );
  });
}

function launch(libs, node, heap) {
  const log = join(node.dir, 'server.log');
  const fd = openSync(log, 'w');
  // Detached: the CLI's `start` exits while the brokers keep running; they are stopped by pid.
  const child = spawn('java', javaArgs(libs, node.dir, heap, 'kafka.Kafka', [join(node.dir, 'server.properties')]), {
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  child.unref();
  node.log = log;
  node.child = child;
  node.exited = undefined;
  child.once('exit', (code, signal) => (node.exited = signal ?? `exit ${code}`));
  child.once('error', (e) => (node.exited = e.message));
  return child.pid;
}

async function readiness(nodes, probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    const dead = nodes.find((n) => n.exited !== undefined);
    if (dead) {
      const text = tail(dead.log);
      const err = new Error(`Kafka broker ${dead.name} stopped during start (${dead.exited}); end of ${dead.log}:\n${text}`);
      err.bindFailure = /Address already in use|BindException/.test(text);
      throw err;
    }
    try {
      if (await probe()) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const logs = nodes.map((n) => `--- end of ${n.log}:\n${tail(n.log)}`).join('\n');
      throw new Error(
        `Kafka cluster ${what} was not ready after ${Math.round(timeoutMs / 1000)} s` +
          `${last ? ` (last probe: ${last.message})` : ''}\n${logs}`,
      );
    }
    await sleep(250);
  }
}

async function metadataProbe(options, brokerCount) {
  const { Admin } = await import('@platformatic/kafka');
  const admin = new Admin({ clientId: 'kafkaform-readiness', retries: false, connectTimeout: 2000, requestTimeout: 5000, ...options });
  try {
    const md = await admin.metadata({ topics: [] });
    return md.brokers.size >= brokerCount;
  } finally {
    await admin.close().catch(() => {});
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

// Whether pid is still one of this run's JVMs (and not an unrelated process that reused the pid).
function isOurBroker(pid, dir) {
  if (!isAlive(pid)) return false;
  let cmd;
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    const ps = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    cmd = ps.stdout ?? '';
  }
  return cmd.includes(dir);
}

function killRun(record) {
  for (const pid of record.pids) {
    if (isOurBroker(pid, record.dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone between the check and the kill.
      }
    }
  }
  rmSync(record.dir, { recursive: true, force: true, maxRetries: 5 });
  if (record.pidFile) rmSync(record.pidFile, { force: true });
}

/** Kills the brokers of earlier runs whose owning process is gone, and removes their files. */
export function killStaleBrokers(log = () => {}) {
  let entries;
  try {
    entries = readdirSync(runsDir());
  } catch {
    return;
  }
  for (const name of entries.filter((n) => n.endsWith('.json'))) {
    const pidFile = join(runsDir(), name);
    let record;
    try {
      record = JSON.parse(readFileSync(pidFile, 'utf8'));
    } catch {
      continue;
    }
    if (isAlive(record.owner)) continue;
    log(`stopping stale Kafka brokers of an earlier run (pids ${record.pids.join(', ') || 'none'})`);
    killRun({ ...record, pidFile });
  }
}

/**
 * Starts the `single` and `trio` clusters in parallel and resolves when every broker answers.
 * options: version, heap ('256m'), timeoutMs (120000), stateFile (written when given), owner (the
 * pid whose death makes the brokers stale; default this process), log (progress lines).
 * Unless owner is another process, the brokers are killed when this process exits.
 */
export async function startBrokers(options = {}) {
  const log = options.log ?? (() => {});
  const version = options.version ?? (process.env.KAFKAFORM_KAFKA_VERSION || DEFAULT_KAFKA_VERSION);
  killStaleBrokers(log);
  const libs = ensureKafkaJars(version, log);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(libs, version, options);
    } catch (e) {
      // Another process may take a port between our probe and the broker's bind: try new ports.
      if (!e.bindFailure || attempt === 3) throw e;
      log('a port was taken meanwhile; starting the brokers again on new ports');
    }
  }
}

async function startOnce(libs, version, options) {
  const heap = options.heap ?? '256m';
  const owner = options.owner ?? process.pid;
  const timeoutMs = options.timeoutMs ?? 120_000;
  mkdirSync(runsDir(), { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'kafkaform-brokers-'));
  const pidFile = join(runsDir(), `${basename(dir)}.json`);
  // Every JVM of the run, formatting ones included: an interrupted start must leave none behind.
  const record = {
    owner,
    dir,
    pids: [],
    pidFile,
    save() {
      writeFileSync(pidFile, `${JSON.stringify({ owner, dir, pids: this.pids })}\n`);
    },
    add(pid) {
      if (pid === undefined) return;
      this.pids.push(pid);
      this.save();
    },
  };
  const onExit = () => killRun(record);
  if (owner === process.pid) process.on('exit', onExit);
  record.save();
  try {
    writeFileSync(join(dir, 'log4j2.properties'), LOG4J);
    const ports = await freePorts(9);
    const passwords = Object.fromEntries(USERS.map((u) => [u, randomBytes(12).toString('hex')]));
    const nodeDir = (name) => {
      const d = join(dir, name);
      mkdirSync(d);
      return d;
    };
    const single = singleNode(nodeDir('single'), ports.slice(0, 3), passwords);
    const trioClient = ports.slice(3, 6);
    const trioController = ports.slice(6, 9);
    const trio = [1, 2, 3].map((id) => trioNode(nodeDir(`trio-${id}`), id, trioClient[id - 1], trioController));
    const nodes = [single, ...trio];
    for (const n of nodes) writeFileSync(join(n.dir, 'server.properties'), properties(n.config));

    const singleId = clusterId();
    const trioId = clusterId();
    await Promise.all(nodes.map((n) => format(libs, n, n === single ? singleId : trioId, record)));
    for (const n of nodes) record.add(launch(libs, n, heap));

    const sasl = `127.0.0.1:${ports[0]}`;
    const bootstrap = trioClient.map((p) => `127.0.0.1:${p}`);
    await Promise.all([
      readiness(
        [single],
        () => metadataProbe({ bootstrapBrokers: [sasl], sasl: { mechanism: 'PLAIN', username: 'admin', password: passwords.admin } }, 1),
        timeoutMs,
        'single',
      ),
      readiness(trio, () => metadataProbe({ bootstrapBrokers: bootstrap }, 3), timeoutMs, 'trio'),
    ]);

    const state = {
      version,
      dir,
      single: {
        sasl,
        ssl: `127.0.0.1:${ports[1]}`,
        caFile: single.caFile,
        users: passwords,
        pids: [single.child.pid],
      },
      trio: {
        bootstrap,
        brokers: trio.map((n, i) => ({ id: i + 1, rack: RACKS[i], address: bootstrap[i] })),
        pids: trio.map((n) => n.child.pid),
      },
    };
    if (options.stateFile) writeFileSync(resolve(options.stateFile), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    return state;
  } catch (e) {
    process.off('exit', onExit);
    killRun(record);
    throw e;
  }
}

/** Kills the brokers of a state returned by startBrokers (or read from its file) and removes their files. */
export function stopBrokers(state) {
  const pids = [...state.single.pids, ...state.trio.pids];
  killRun({ dir: state.dir, pids, pidFile: join(runsDir(), `${basename(state.dir)}.json`) });
}

async function main(argv) {
  const [command, ...rest] = argv;
  const stateIndex = rest.indexOf('--state');
  const stateFile = stateIndex >= 0 ? rest[stateIndex + 1] : undefined;
  const log = (line) => process.stderr.write(`${line}\n`);
  if (command === 'start') {
    // The brokers outlive this command; they become stale when the shell that asked for them goes.
    const state = await startBrokers({ stateFile, owner: process.ppid, log });
    process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
  } else if (command === 'stop' && stateFile) {
    stopBrokers(JSON.parse(readFileSync(stateFile, 'utf8')));
  } else {
    log('usage: node test/broker/brokers.mjs start [--state FILE] | stop --state FILE');
    process.exitCode = 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  });
}
