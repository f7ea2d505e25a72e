/**
 * `npm run bench`: builds clusters in the simulators (each in its own process), runs the real CLI
 * (`node bin/kafkaform.js`) against them as a child process, and prints one table: wall time, HTTP
 * requests, bytes received, peak RSS of the CLI process, and — measured in the same run against
 * the same server — the floor (a bare client downloading and `JSON.parse`-ing the same bulk
 * lists) and the one-call-per-topic approach peers use. The `native` scenarios do the same against
 * a real Apache Kafka broker (test/broker/brokers.mjs; needs Java 17+ and Maven) with `type: kafka`.
 * Not part of `npm test`: it measures time.
 *
 * Options (all optional): --latency <ms> (50), --topics <n> (10000), --acls <n> (2 per topic),
 * --scale-topics <n> (50000), --planner-topics <n> (100000), --apply-topics <n> (2000),
 * --apply-rate <req/s> (100), --do-topics <n> (500), --do-limit <n> (250), --do-window-ms <ms>
 * (10000; DigitalOcean's own window is 60000), --peers-parallelism <n> (10),
 * --only <scenario,...> (startup, load, plan-1k, plan, explicit, peers, drift, scale, planner, apply,
 * do, native), --startup-runs <n> (5: runs of the start-up rows and of manifest loading, each in
 * a fresh process; the median is reported), --plan-runs <n> (3: runs of each plan row up to
 * 20,000 topics, the CLI and its floor taking turns; the medians are compared), --json <file>
 * (raw results), --cpu-prof <dir> (V8 CPU profiles of the CLI runs), --node-flags "<flags>"
 * (extra Node flags for the CLI runs, for experiments).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterShape, HostReply, HostRequest, WireStats } from './protocol.js';
import { writeManifests, type DesiredShape } from './manifests.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = join(ROOT, 'bench');
const AUTH = `Basic ${Buffer.from('bench-key:bench-secret-0123456789').toString('base64')}`;
const DO_TOKEN = 'dop_v1_simulated_token_0123456789abcdef';

interface Options {
  latency: number;
  topics: number;
  acls: number | undefined;
  scaleTopics: number;
  plannerTopics: number;
  applyTopics: number;
  applyRate: number;
  doTopics: number;
  doLimit: number;
  doWindowMs: number;
  peersParallelism: number;
  startupRuns: number;
  planRuns: number;
  only: string[] | undefined;
  json: string | undefined;
  /** Directory for V8 CPU profiles of the CLI runs (`--cpu-prof`), to find what to fix. */
  cpuProf: string | undefined;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    latency: 50,
    topics: 10_000,
    acls: undefined,
    scaleTopics: 50_000,
    plannerTopics: 100_000,
    applyTopics: 2_000,
    applyRate: 100,
    doTopics: 500,
    doLimit: 250,
    doWindowMs: 10_000,
    peersParallelism: 10,
    startupRuns: 5,
    planRuns: 3,
    only: undefined,
    json: undefined,
    cpuProf: undefined,
  };
  const numeric: Record<string, keyof Options> = {
    '--latency': 'latency',
    '--topics': 'topics',
    '--acls': 'acls',
    '--scale-topics': 'scaleTopics',
    '--planner-topics': 'plannerTopics',
    '--apply-topics': 'applyTopics',
    '--apply-rate': 'applyRate',
    '--do-topics': 'doTopics',
    '--do-limit': 'doLimit',
    '--do-window-ms': 'doWindowMs',
    '--peers-parallelism': 'peersParallelism',
    '--startup-runs': 'startupRuns',
    '--plan-runs': 'planRuns',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i++;
    const key = numeric[flag];
    if (key !== undefined) {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} must be a number`);
      (o as unknown as Record<string, number>)[key] = n;
    } else if (flag === '--only') {
      o.only = value.split(',');
    } else if (flag === '--json') {
      o.json = value;
    } else if (flag === '--node-flags') {
      nodeFlags = value.split(' ').filter((f) => f !== '');
    } else if (flag === '--cpu-prof') {
      o.cpuProf = value;
      profileDir = value;
    } else {
      throw new Error(`unknown option ${flag}`);
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** A simulator running in its own process. */
class Host {
  readonly #child: ChildProcess;
  #waiting: ((reply: HostReply) => void) | undefined;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (m) => {
      const wake = this.#waiting;
      this.#waiting = undefined;
      wake?.(m as HostReply);
    });
  }

  static async start(shape: ClusterShape): Promise<{ host: Host; url: string }> {
    const child = fork(join(BENCH, 'sim-host.ts'), [], {
      execArgv: ['--import', 'tsx', '--max-old-space-size=12288'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const host = new Host(child);
    const reply = await host.#call({ type: 'start', shape });
    if (reply.type !== 'started') throw new Error(`simulator failed to start: ${JSON.stringify(reply)}`);
    return { host, url: reply.url };
  }

  #call(msg: HostRequest): Promise<HostReply> {
    return new Promise((resolve, reject) => {
      this.#waiting = (r) => (r.type === 'error' ? reject(new Error(r.message)) : resolve(r));
      this.#child.send(msg);
    });
  }

  async stats(): Promise<WireStats> {
    const r = await this.#call({ type: 'stats' });
    if (r.type !== 'stats') throw new Error('unexpected reply');
    return r.stats;
  }

  async reset(): Promise<void> {
    await this.#call({ type: 'reset' });
  }

  async close(): Promise<void> {
    await this.#call({ type: 'close' });
    await new Promise<void>((resolve) => (this.#child.exitCode !== null ? resolve() : this.#child.once('exit', () => resolve())));
  }
}

/** Set by `--cpu-prof`: CLI runs write V8 CPU profiles there. */
let profileDir: string | undefined;
/** Set by `--node-flags`: extra V8/Node flags for the CLI runs (experiments). */
let nodeFlags: string[] = [];

interface CliRun {
  code: number;
  wallMs: number;
  cpuMs: number;
  peakRss: number;
  stdoutBytes: number;
  stderrTail: string;
}

/** Runs `node bin/kafkaform.js ...args` with the RSS probe preloaded; wall time from spawn to exit. */
async function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const probe = join(mkdtempSync(join(tmpdir(), 'kafkaform-rss-')), 'usage.json');
  const started = performance.now();
  const prof = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const child = spawn(process.execPath, [...nodeFlags, ...prof, '--require', join(BENCH, 'rss-probe.cjs'), join(ROOT, 'bin', 'kafkaform.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, NO_COLOR: '1', KAFKAFORM_BENCH_RSS_FILE: probe },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdoutBytes += d.length;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-4000);
  });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const wallMs = performance.now() - started;
  let usage = { maxRss: 0, cpuMs: 0 };
  try {
    usage = JSON.parse(readFileSync(probe, 'utf8')) as typeof usage;
  } catch {
    // The process died before its exit hook ran; the table says so.
  }
  rmSync(dirname(probe), { recursive: true, force: true });
  return { code, wallMs, cpuMs: usage.cpuMs, peakRss: usage.maxRss, stdoutBytes, stderrTail: stderr };
}

/** Runs a bench helper script in its own process and returns what it printed as JSON. */
async function runHelper<T>(script: string, args: string[], nodeArgs: string[] = []): Promise<T> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(BENCH, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-4000)));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  if (code !== 0) throw new Error(`${script} failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' ')}`);
  return JSON.parse(out) as T;
}

// ---------------------------------------------------------------------------------------------
// Results

interface Row {
  id: string;
  scenario: string;
  wallMs?: number;
  requests?: number;
  bytes?: number;
  peakRss?: number;
  floorMs?: number;
  note: string;
  targets: Array<{ name: string; met: boolean; detail: string }>;
}

const rows: Row[] = [];

/** The middle value (the upper one of an even count). */
function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
}

function ms(v: number | undefined): string {
  if (v === undefined) return '—';
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
}

function size(v: number | undefined): string {
  if (v === undefined) return '—';
  if (v >= 1 << 30) return `${(v / (1 << 30)).toFixed(2)} GiB`;
  if (v >= 1 << 20) return `${(v / (1 << 20)).toFixed(1)} MiB`;
  if (v >= 1 << 10) return `${(v / (1 << 10)).toFixed(1)} KiB`;
  return `${v} B`;
}

function table(): string {
  const head = ['scenario', 'wall', 'HTTP requests', 'bytes received', 'peak RSS', 'floor', 'wall / floor', 'RSS / bytes', 'notes'];
  const body = rows.map((r) => [
    r.scenario,
    ms(r.wallMs),
    r.requests === undefined ? '—' : String(r.requests),
    size(r.bytes),
    size(r.peakRss),
    ms(r.floorMs),
    r.wallMs !== undefined && r.floorMs !== undefined ? `${(r.wallMs / r.floorMs).toFixed(2)}x` : '—',
    r.peakRss !== undefined && r.bytes !== undefined && r.bytes > 0 ? `${(r.peakRss / r.bytes).toFixed(2)}x` : '—',
    r.note,
  ]);
  const lines = [head, head.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`);
  const verdicts = rows.flatMap((r) => r.targets.map((t) => `- ${t.met ? 'MET ' : 'MISSED'} ${r.scenario}: ${t.name} (${t.detail})`));
  return `${lines.join('\n')}\n\nTargets:\n${verdicts.join('\n')}\n`;
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// Scenarios

const V3_LISTS = ['/clusters/lkc-bench1/topics', '/clusters/lkc-bench1/topics/-/configs', '/clusters/lkc-bench1/acls'];

async function floor(url: string): Promise<{ ms: number; requests: number } | { error: string }> {
  try {
    return await runHelper<{ ms: number; requests: number } | { error: string }>(
      'floor.ts',
      [JSON.stringify({ base: url, lists: V3_LISTS, authorization: AUTH })],
      ['--max-old-space-size=12288'],
    );
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** A plan against a REST v3 simulator; the floor is measured first against the same server. */
/** How a plan scenario writes its ACLs and how close to the floor it must come. */
interface PlanTargets {
  aclStyle?: DesiredShape['aclStyle'];
  /** Wall time at most this many times the floor (10,000 topics and up). */
  maxFloorRatio: number;
  /** Peak RSS at most this many times the bytes received (10,000 topics and up). */
  maxRssRatio: number;
}

async function planScenario(
  o: Options,
  id: string,
  label: string,
  topics: number,
  acls: number,
  driftEvery: number,
  targets: PlanTargets,
  extra: (url: string, host: Host) => Promise<void> = async () => undefined,
): Promise<void> {
  log(`${label}: seeding ${topics} topics, ${acls} ACLs`);
  const dir = mkdtempSync(join(tmpdir(), 'kafkaform-bench-'));
  const { host, url } = await Host.start({ kind: 'v3', topics, acls, latencyMs: o.latency, driftEvery });
  try {
    writeManifests(dir, { kind: 'v3', topics, acls, ...(targets.aclStyle ? { aclStyle: targets.aclStyle } : {}) } satisfies DesiredShape);
    // Warm-up: the first listing of a fresh simulator pays for its JIT; neither side should.
    // (Skipped at the scale where a bare JSON.parse cannot hold the listing anyway, where one run
    // of each is enough: it takes far longer than the noise.)
    const repeat = topics <= 20_000;
    if (repeat) await floor(url);
    // The CLI and its floor take turns, and the medians are compared: one run of either moves by
    // up to ±20% on this machine, which alone decided a 1.1x target either way.
    const floors: Array<Awaited<ReturnType<typeof floor>>> = [];
    const runs: CliRun[] = [];
    let wire: WireStats | undefined;
    for (let i = 0; i < (repeat ? Math.max(1, o.planRuns) : 1); i++) {
      floors.push(await floor(url));
      await host.reset();
      log(`${label}: running the CLI`);
      runs.push(await runCli(['plan', dir, '--detailed-exitcode'], { BENCH_URL: url, BENCH_KEY: 'bench-key', BENCH_SECRET: 'bench-secret-0123456789' }));
      wire = await host.stats();
    }
    const measured = floors.flatMap((f) => ('ms' in f ? [f.ms] : []));
    const failed = floors.find((f): f is { error: string } => 'error' in f);
    const fl = failed ?? { ms: median(measured) };
    const run: CliRun = {
      ...(runs[runs.length - 1] as CliRun),
      code: Math.max(...runs.map((r) => r.code)),
      wallMs: median(runs.map((r) => r.wallMs)),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      // The highest: the target is a ceiling.
      peakRss: Math.max(...runs.map((r) => r.peakRss)),
    };
    if (wire === undefined) throw new Error(`${label}: no run`);
    const expected = driftEvery > 0 ? 2 : 0;
    const row: Row = {
      id,
      scenario: label,
      wallMs: run.wallMs,
      requests: wire.requests,
      bytes: wire.bytes,
      peakRss: run.peakRss,
      note: run.code === expected ? (driftEvery > 0 ? `exit 2: ${Math.floor(topics / driftEvery)} topics to update` : 'exit 0: no changes') : `UNEXPECTED exit ${run.code}: ${run.stderrTail.trim().split('\n').slice(-2).join(' ')}`,
      targets: [],
    };
    if ('ms' in fl) row.floorMs = fl.ms;
    else row.note += `; floor: ${/string (length|longer)/i.test(fl.error) ? "none: a bare client cannot even hold the config list in one string (V8's limit)" : fl.error}`;
    row.note += `; CLI CPU ${ms(run.cpuMs)}`;
    if (runs.length > 1) row.note += `; medians of ${runs.length} runs, the CLI and the floor taking turns`;
    // The issue sets its targets at 10,000 topics; below, fixed costs (Node's own ~50 MB, start-up)
    // dominate and the row is for information.
    if (run.code === expected && topics >= 10_000) {
      row.targets.push({ name: 'at most 8 HTTP requests (one page per list)', met: wire.requests <= 8, detail: `${wire.requests}` });
      if (row.floorMs !== undefined) {
        const max = targets.maxFloorRatio;
        row.targets.push({ name: `wall within ${max}x the floor`, met: run.wallMs <= max * row.floorMs, detail: `${(run.wallMs / row.floorMs).toFixed(2)}x` });
      }
      const maxRss = targets.maxRssRatio;
      row.targets.push({ name: `peak RSS within ${maxRss}x bytes received`, met: run.peakRss <= maxRss * wire.bytes, detail: `${(run.peakRss / wire.bytes).toFixed(2)}x` });
    }
    rows.push(row);
    await extra(url, host);
  } finally {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function peersScenario(o: Options, url: string, host: Host, topics: number, cliRow: Row): Promise<void> {
  log(`peers: one request per topic, parallelism ${o.peersParallelism}`);
  await host.reset();
  const peer = await runHelper<{ ms: number; requests: number }>('peers.ts', [
    JSON.stringify({ base: url, clusterId: 'lkc-bench1', authorization: AUTH, parallelism: o.peersParallelism }),
  ]);
  const wire = await host.stats();
  rows.push({
    id: 'peers',
    scenario: `peers' approach, ${topics} topics (one configs GET per topic, parallelism ${o.peersParallelism})`,
    wallMs: peer.ms,
    requests: wire.requests,
    bytes: wire.bytes,
    note: `bare client, process start excluded; kafkaform: ${cliRow.requests} requests, ${ms(cliRow.wallMs)} (${cliRow.wallMs ? (peer.ms / cliRow.wallMs).toFixed(1) : '?'}x faster)`,
    targets: [],
  });
}

/** Manifest loading alone, in a fresh process: 10,000 topics and 20,000 explicit bindings. */
async function loadScenario(o: Options): Promise<void> {
  const topics = o.topics;
  const acls = topics * 2;
  log(`manifest loading: ${topics} topics, ${acls} explicit bindings`);
  const dir = mkdtempSync(join(tmpdir(), 'kafkaform-bench-'));
  try {
    writeManifests(dir, { kind: 'v3', topics, acls, aclStyle: 'explicit' });
    // One cold process per run, as the start-up rows: a single run moves by ±20% on this machine.
    const runs: { ms: number; cpuMs: number; bytes: number }[] = [];
    for (let i = 0; i < o.startupRuns; i++) runs.push(await runHelper<{ ms: number; cpuMs: number; bytes: number }>('load.ts', [dir]));
    const r = { ms: median(runs.map((x) => x.ms)), cpuMs: median(runs.map((x) => x.cpuMs)), bytes: runs[0]?.bytes ?? 0 };
    const rate = (ms: number): number => r.bytes / (1 << 20) / (ms / 1000);
    rows.push({
      id: 'load',
      scenario: `manifest loading alone, ${topics} topics, ${acls} explicit ACL bindings (${size(r.bytes)} of YAML; median of ${o.startupRuns})`,
      wallMs: r.ms,
      note: `${rate(r.ms).toFixed(1)} MiB/s wall, ${rate(r.cpuMs).toFixed(1)} MiB/s of CPU time (CPU ${ms(r.cpuMs)}); cold process, desired state built`,
      targets: [{ name: 'at least 10 MB/s of YAML', met: r.bytes / 1e6 / (r.ms / 1000) >= 10, detail: `${(r.bytes / 1e6 / (r.ms / 1000)).toFixed(1)} MB/s` }],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median of `runs` CLI runs (wall and CPU), for start-up figures. */
async function medianRun(args: string[], runs: number): Promise<{ wallMs: number; cpuMs: number; code: number }> {
  const results: CliRun[] = [];
  for (let i = 0; i < runs; i++) results.push(await runCli(args, {}));
  return { wallMs: median(results.map((r) => r.wallMs)), cpuMs: median(results.map((r) => r.cpuMs)), code: Math.max(...results.map((r) => r.code)) };
}

/** Start-up: `--version`, `--help` and a plan of the quickstart (an offline snapshot cluster). */
async function startupScenario(o: Options): Promise<void> {
  const cases: Array<{ args: string[]; label: string; max: number }> = [
    { args: ['--version'], label: 'kafkaform --version', max: 150 },
    { args: ['--help'], label: 'kafkaform --help', max: 150 },
    { args: ['plan', 'examples/quickstart'], label: 'kafkaform plan examples/quickstart', max: 200 },
  ];
  const bare = await bareNode(o.startupRuns);
  for (const c of cases) {
    log(`start-up: ${c.label}`);
    const r = await medianRun(c.args, o.startupRuns);
    rows.push({
      id: 'startup',
      scenario: `start-up: ${c.label} (median of ${o.startupRuns})`,
      wallMs: r.wallMs,
      note: `exit ${r.code}; CPU ${ms(r.cpuMs)}; \`node -e 0\`: ${ms(bare.wallMs)} wall, CPU ${ms(bare.cpuMs)}`,
      targets: [{ name: `wall at most ${c.max} ms`, met: r.wallMs <= c.max, detail: ms(r.wallMs) }],
    });
  }
}

/** `node -e 0` the same way, for the baseline no CLI can beat. */
async function bareNode(runs: number): Promise<{ wallMs: number; cpuMs: number }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const probe = join(mkdtempSync(join(tmpdir(), 'kafkaform-rss-')), 'usage.json');
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', join(BENCH, 'rss-probe.cjs'), '-e', '0'], {
      env: { ...process.env, KAFKAFORM_BENCH_RSS_FILE: probe },
      stdio: 'ignore',
    });
    await new Promise((resolve) => child.on('close', resolve));
    wall.push(performance.now() - started);
    cpu.push((JSON.parse(readFileSync(probe, 'utf8')) as { cpuMs: number }).cpuMs);
    rmSync(dirname(probe), { recursive: true, force: true });
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

async function plannerScenario(o: Options): Promise<void> {
  log(`planner alone: ${o.plannerTopics} topics`);
  const r = await runHelper<{ ms: number; cpuMs: number; actions: number }>('planner.ts', [String(o.plannerTopics)], ['--expose-gc', '--max-old-space-size=12288']);
  rows.push({
    id: 'planner',
    scenario: `planner alone (no I/O), ${o.plannerTopics} topics, ${o.plannerTopics * 2} ACLs, 10% drift`,
    wallMs: r.ms,
    note: `${r.actions} actions; CPU ${ms(r.cpuMs)}`,
    targets: [{ name: 'planner under 1 s', met: r.ms < 1000, detail: ms(r.ms) }],
  });
}

async function applyScenario(o: Options): Promise<void> {
  const n = o.applyTopics;
  log(`apply: ${n} creates, server limit ${o.applyRate} req/s`);
  const dir = mkdtempSync(join(tmpdir(), 'kafkaform-bench-'));
  const { host, url } = await Host.start({ kind: 'v3', topics: 0, acls: 0, latencyMs: o.latency, driftEvery: 0, rateLimitPerSecond: o.applyRate });
  const env = { BENCH_URL: url, BENCH_KEY: 'bench-key', BENCH_SECRET: 'bench-secret-0123456789' };
  try {
    writeManifests(dir, { kind: 'v3', topics: n, acls: 0 });
    const run = await runCli(['apply', dir, '--auto-approve', '--quiet'], env);
    const wire = await host.stats();
    const limited = wire.statuses['429'] ?? 0;
    const accepted = wire.requests - limited;
    // The fastest any client could go: the server's burst (one second's worth) at once, then
    // its steady rate.
    const minimumMs = (Math.max(0, accepted - o.applyRate) / o.applyRate) * 1000;
    const efficiency = minimumMs / run.wallMs;
    // The same, over the time the server saw requests (process start and manifests left out).
    const serverEfficiency = minimumMs / wire.spanMs;
    await host.reset();
    const check = await runCli(['plan', dir, '--detailed-exitcode'], env);
    const failures = run.code === 0 ? 0 : 1;
    rows.push({
      id: 'apply',
      scenario: `apply: ${n} topic creates, server limit ${o.applyRate} req/s (429 beyond)`,
      wallMs: run.wallMs,
      requests: wire.requests,
      bytes: wire.bytes,
      peakRss: run.peakRss,
      note: `exit ${run.code}; ${accepted} accepted + ${limited} answered 429; ${((accepted / run.wallMs) * 1000).toFixed(1)} req/s = ${(efficiency * 100).toFixed(0)}% of the server's rate end to end, ${(serverEfficiency * 100).toFixed(0)}% from the first request to the last; re-plan exit ${check.code}${run.code !== 0 ? `; ${run.stderrTail.trim().split('\n').slice(-2).join(' ')}` : ''}`,
      targets: [
        { name: 'zero failures, converged', met: failures === 0 && check.code === 0, detail: `apply exit ${run.code}, re-plan exit ${check.code}` },
        { name: "at least 90% of the server's rate", met: efficiency >= 0.9, detail: `${(efficiency * 100).toFixed(0)}%` },
      ],
    });
  } finally {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function doScenario(o: Options): Promise<void> {
  const n = o.doTopics;
  log(`digitalocean: plan of ${n} topics, ${o.doLimit} requests per ${o.doWindowMs} ms`);
  const dir = mkdtempSync(join(tmpdir(), 'kafkaform-bench-'));
  const { host, url } = await Host.start({
    kind: 'do',
    topics: n,
    acls: 0,
    latencyMs: o.latency,
    driftEvery: 0,
    rateLimitPerWindow: { limit: o.doLimit, windowMs: o.doWindowMs },
  });
  try {
    writeManifests(dir, { kind: 'do', topics: n, acls: 0 });
    const run = await runCli(['plan', dir, '--detailed-exitcode'], { BENCH_URL: url, BENCH_TOKEN: DO_TOKEN });
    const wire = await host.stats();
    const limited = wire.statuses['429'] ?? 0;
    // One topic list, one user list, one read per topic.
    const allowed = n + 2;
    const windows = Math.floor((wire.requests - limited - 1) / o.doLimit);
    rows.push({
      id: 'do',
      scenario: `DigitalOcean plan, ${n} topics, limit ${o.doLimit} requests / ${o.doWindowMs / 1000} s`,
      wallMs: run.wallMs,
      requests: wire.requests,
      bytes: wire.bytes,
      peakRss: run.peakRss,
      note: `exit ${run.code}${run.code === 0 ? ': no changes' : `: ${run.stderrTail.trim().split('\n').slice(-2).join(' ')}`}; ${limited} answered 429; the window allows it in ${windows} full window(s) = ${ms(windows * o.doWindowMs)} at best`,
      targets: [
        { name: 'at most one list plus one read per topic (+ users)', met: wire.requests - limited <= allowed, detail: `${wire.requests - limited} of ${allowed}` },
        { name: 'paced: no 429 left unanswered, plan succeeds', met: run.code === 0, detail: `${limited} 429s, exit ${run.code}` },
      ],
    });
  } finally {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the bare Kafka client of `native-client.ts` against the broker. */
async function nativeClient(mode: 'floor' | 'peers', single: { sasl: string; users: { admin: string } }, parallelism: number): Promise<{ ms: number; requests: number }> {
  const [host, port] = single.sasl.split(':') as [string, string];
  return runHelper('native-client.ts', [JSON.stringify({ mode, host, port: Number(port), username: 'admin', password: single.users.admin, parallelism })], [
    '--max-old-space-size=12288',
  ]);
}

/**
 * `type: kafka` against a real broker: apply of `applyTopics` creates, then (the cluster seeded to
 * `topics` topics and twice as many ACLs by kafkaform itself) a plan with no changes beside the
 * floor of a bare client making the same requests, and the one-request-per-topic approach.
 */
async function nativeScenarios(o: Options): Promise<void> {
  const { brokerPrerequisiteProblem, startBrokers, stopBrokers } = await import('../test/broker/brokers.mjs');
  const problem = brokerPrerequisiteProblem();
  if (problem !== undefined) {
    rows.push({ id: 'native', scenario: 'native scenarios (real Apache Kafka)', note: `skipped: ${problem}`, targets: [] });
    return;
  }
  log('native: starting Apache Kafka');
  const brokers = await startBrokers({ heap: '1g', log: (line) => log(`native: ${line}`) });
  const dir = mkdtempSync(join(tmpdir(), 'kafkaform-bench-'));
  const { single } = brokers;
  const env = { BENCH_BOOTSTRAP: single.sasl, BENCH_USER: 'admin', BENCH_PASSWORD: single.users.admin };
  const shape = (topics: number, acls: number): DesiredShape => ({ kind: 'kafka', topics, acls, partitions: 1, replicationFactor: 1 });
  const tail = (run: CliRun): string => run.stderrTail.trim().split('\n').slice(-2).join(' ');
  try {
    const n = o.applyTopics;
    log(`native: apply of ${n} topic creates`);
    writeManifests(dir, shape(n, 0));
    const apply = await runCli(['apply', dir, '--auto-approve', '--quiet'], env);
    const check = await runCli(['plan', dir, '--detailed-exitcode'], env);
    rows.push({
      id: 'native-apply',
      scenario: `native apply: ${n} topic creates (1 partition each), real broker`,
      wallMs: apply.wallMs,
      peakRss: apply.peakRss,
      note: `exit ${apply.code}; re-plan exit ${check.code}; CLI CPU ${ms(apply.cpuMs)}${apply.code !== 0 ? `; ${tail(apply)}` : ''}`,
      targets: [
        { name: 'converged', met: apply.code === 0 && check.code === 0, detail: `apply exit ${apply.code}, re-plan exit ${check.code}` },
        { name: 'under 10 s', met: apply.wallMs < 10_000, detail: ms(apply.wallMs) },
      ],
    });

    const acls = o.acls ?? o.topics * 2;
    log(`native: seeding ${o.topics} topics and ${acls} ACLs with kafkaform`);
    writeManifests(dir, shape(o.topics, acls));
    const seed = await runCli(['apply', dir, '--auto-approve', '--quiet'], env);
    rows.push({
      id: 'native-seed',
      scenario: `native apply: ${o.topics - n} topic creates and ${acls} ACL creates (seeding the next rows)`,
      wallMs: seed.wallMs,
      peakRss: seed.peakRss,
      note: `exit ${seed.code}; CLI CPU ${ms(seed.cpuMs)}${seed.code !== 0 ? `; ${tail(seed)}` : ''}`,
      targets: [],
    });

    log('native: floor (bare client, the same requests), twice');
    await nativeClient('floor', single, 5);
    const fl = await nativeClient('floor', single, 5);
    log('native: plan');
    const plan = await runCli(['plan', dir, '--detailed-exitcode', '--debug'], env);
    const requests = (plan.stderrTail.match(/^kafka: /gm) ?? []).length;
    const row: Row = {
      id: 'native-plan',
      scenario: `native plan, no changes, ${o.topics} topics, ${acls} ACLs, real broker`,
      wallMs: plan.wallMs,
      requests,
      peakRss: plan.peakRss,
      floorMs: fl.ms,
      note: `${plan.code === 0 ? 'exit 0: no changes' : `UNEXPECTED exit ${plan.code}: ${tail(plan)}`}; Kafka requests (not HTTP); floor: ${fl.requests} requests, process start and library load excluded; CLI CPU ${ms(plan.cpuMs)}`,
      targets: [],
    };
    if (plan.code === 0) {
      // Metadata, DescribeAcls, and the DescribeConfigs requests of `configRequests`.
      const { configRequests } = await import('../src/targets/kafka/client.js');
      const bound = 2 + configRequests(Array.from({ length: o.topics }, String)).length;
      row.targets.push({ name: `a constant number of requests (at most ${bound})`, met: requests <= bound, detail: String(requests) });
      row.targets.push({ name: 'wall within 1.5x the floor', met: plan.wallMs <= 1.5 * fl.ms, detail: `${(plan.wallMs / fl.ms).toFixed(2)}x` });
    }
    rows.push(row);

    log(`native: peers' approach, parallelism ${o.peersParallelism}`);
    const peer = await nativeClient('peers', single, o.peersParallelism);
    rows.push({
      id: 'native-peers',
      scenario: `peers' approach, ${o.topics} topics (one DescribeConfigs per topic, parallelism ${o.peersParallelism}), real broker`,
      wallMs: peer.ms,
      requests: peer.requests,
      note: `bare client, process start excluded; kafkaform: ${requests} requests, ${ms(plan.wallMs)}`,
      targets: [],
    });
  } finally {
    stopBrokers(brokers);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const wanted = (id: string): boolean => o.only === undefined || o.only.includes(id);
  const aclsFor = (topics: number): number => (o.acls !== undefined && topics === o.topics ? o.acls : topics * 2);
  const started = Date.now();

  // The issue's targets: roles within 1.1x the floor, explicit bindings within 1.2x, peak RSS
  // within 2x the bytes received; drift and 50,000 topics keep the earlier 1.5x and 3x.
  const roles: PlanTargets = { maxFloorRatio: 1.1, maxRssRatio: 2 };
  const explicit: PlanTargets = { aclStyle: 'explicit', maxFloorRatio: 1.2, maxRssRatio: 2 };
  const earlier: PlanTargets = { maxFloorRatio: 1.5, maxRssRatio: 3 };
  if (wanted('startup')) await startupScenario(o);
  if (wanted('load')) await loadScenario(o);
  if (wanted('plan-1k')) await planScenario(o, 'plan-1k', 'plan, no changes, 1,000 topics, 2,000 ACLs', 1_000, 2_000, 0, roles);
  if (wanted('plan') || wanted('peers')) {
    await planScenario(o, 'plan', `plan, no changes, ${o.topics} topics, ${aclsFor(o.topics)} ACLs as roles`, o.topics, aclsFor(o.topics), 0, roles, async (url, host) => {
      const cliRow = rows[rows.length - 1] as Row;
      if (wanted('peers')) await peersScenario(o, url, host, o.topics, cliRow);
    });
  }
  if (wanted('explicit')) {
    await planScenario(o, 'explicit', `plan, no changes, ${o.topics} topics, ${aclsFor(o.topics)} explicit ACL bindings`, o.topics, aclsFor(o.topics), 0, explicit);
  }
  if (wanted('drift')) await planScenario(o, 'drift', `plan, 10% drift, ${o.topics} topics, ${aclsFor(o.topics)} ACLs`, o.topics, aclsFor(o.topics), 10, earlier);
  if (wanted('scale')) await planScenario(o, 'scale', `plan, no changes, ${o.scaleTopics} topics, ${o.scaleTopics * 2} ACLs`, o.scaleTopics, o.scaleTopics * 2, 0, earlier);
  if (wanted('planner')) await plannerScenario(o);
  if (wanted('apply')) await applyScenario(o);
  if (wanted('do')) await doScenario(o);
  if (wanted('native')) await nativeScenarios(o);

  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(
    `kafkaform bench — latency ${o.latency} ms per request, Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs, load average ${load}, ${Math.round((Date.now() - started) / 1000)} s\n\n${table()}`,
  );
  if (o.json !== undefined) writeFileSync(o.json, `${JSON.stringify({ options: o, rows }, null, 2)}\n`);
}

await main();
