// Runs the real binary (`node bin/kafkaform.js`, built by `npm run build`) in a scratch copy of an
// example, as a user would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { V3Simulator } from '../support/v3-simulator.js';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin', 'kafkaform.js');

if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.cjs'))) {
  throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
}

/** What a run printed and how it exited. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A minimal environment: no colour decisions or clusters leak in from the developer's shell. */
function baseEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...extra };
}

/**
 * Runs kafkaform with stdin closed (not a terminal); tests await it, so they can run side by side.
 * A run that prints a deprecation fails unless `allowDeprecated`: only the tests of the old
 * spelling may use it.
 */
export function kafkaform(args: string[], options: { cwd: string; env?: Record<string, string>; allowDeprecated?: boolean }): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: baseEnv(options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => {
      if (options.allowDeprecated !== true && stderr.includes('is deprecated and stops working in the next release')) {
        fail(new Error(`kafkaform ${args.join(' ')} uses a deprecated spelling:\n${stderr}`));
      } else done({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Output that grows while a process runs, and a way to wait for some of it. */
class Transcript {
  text = '';
  #waiters: Array<{ pattern: string | RegExp; resolve: () => void; reject: (e: Error) => void }> = [];
  #ended = false;

  add(chunk: string): void {
    this.text += chunk;
    this.#waiters = this.#waiters.filter((w) => {
      if (!this.has(w.pattern)) return true;
      w.resolve();
      return false;
    });
  }

  has(pattern: string | RegExp): boolean {
    return typeof pattern === 'string' ? this.text.includes(pattern) : pattern.test(this.text);
  }

  /** No more text will come: whoever still waits is told so. */
  end(): void {
    this.#ended = true;
    for (const w of this.#waiters) w.reject(this.#missing(w.pattern));
    this.#waiters = [];
  }

  /** Resolves once the text contains `pattern`; rejects if the output ends without it. */
  shows(pattern: string | RegExp): Promise<void> {
    if (this.has(pattern)) return Promise.resolve();
    if (this.#ended) return Promise.reject(this.#missing(pattern));
    return new Promise((resolve, reject) => this.#waiters.push({ pattern, resolve, reject }));
  }

  #missing(pattern: string | RegExp): Error {
    return new Error(`the process ended without showing ${String(pattern)}; it showed:\n${this.text}`);
  }
}

/** A kafkaform process the test talks to while it runs. */
export interface Running {
  child: ChildProcess;
  /** Resolves once stderr contains `pattern`. */
  stderrShows(pattern: string | RegExp): Promise<void>;
  /** Sends a signal to the process. */
  signal(name: NodeJS.Signals): void;
  done: Promise<Run>;
}

/** Starts kafkaform with stdin closed, for tests that signal it while it runs. */
export function startKafkaform(args: string[], options: { cwd: string; env?: Record<string, string> }): Running {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: baseEnv(options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = new Transcript();
  const stderr = new Transcript();
  child.stdout.setEncoding('utf8').on('data', (d: string) => stdout.add(d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => stderr.add(d));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      stderr.end();
      resolve({ code: code ?? -1, stdout: stdout.text, stderr: stderr.text });
    });
  });
  return { child, stderrShows: (p) => stderr.shows(p), signal: (name) => void child.kill(name), done };
}

/** True when python3 with its pty module is here to give a process a pseudo-terminal. */
export const HAS_PTY: boolean = spawnSync('python3', ['-c', 'import pty, termios'], { stdio: 'ignore' }).status === 0;

/** A kafkaform run at a terminal: `screen` is what the terminal shows, `stdout` what a pipe got. */
export interface TerminalRun {
  code: number;
  screen: string;
  stdout: string;
}

/** A kafkaform process on a pseudo-terminal (test/support/pty.py), driven as a person would. */
export interface AtTerminal {
  /** Resolves once the terminal shows `pattern`. */
  shows(pattern: string | RegExp): Promise<void>;
  /** Types on the terminal's keyboard (`\u0003` is Ctrl+C, `\u0004` Ctrl+D, `\r` Enter). */
  type(keys: string): void;
  /** Sends a signal to kafkaform, as `kill` from another terminal would. */
  signal(name: NodeJS.Signals): void;
  done: Promise<TerminalRun>;
}

/**
 * Runs kafkaform with stdin, stderr and (unless `pipeStdout`, as in `kafkaform apply | tee log`)
 * stdout on a new pseudo-terminal. Node has none of its own, hence python3's pty module.
 */
export function kafkaformAtTerminal(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; pipeStdout?: boolean },
): AtTerminal {
  const script = join(ROOT, 'test', 'support', 'pty.py');
  const command = [script, ...(options.pipeStdout === true ? ['--pipe-stdout'] : []), '--', process.execPath, BIN, ...args];
  const child = spawn('python3', command, { cwd: options.cwd, env: baseEnv(options.env ?? {}), stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
  const screen = new Transcript();
  let stdout = '';
  let problems = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => screen.add(d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (problems += d));
  const piped = child.stdio[3] as NodeJS.ReadableStream;
  piped.setEncoding('utf8');
  piped.on('data', (d: string) => (stdout += d));
  const order = (o: object): void => void child.stdin.write(`${JSON.stringify(o)}\n`);
  const done = new Promise<TerminalRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => child.stdin.end());
    child.on('close', (code) => {
      screen.end();
      if (problems !== '') reject(new Error(`pty.py failed: ${problems}`));
      else resolve({ code: code ?? -1, screen: screen.text, stdout });
    });
  });
  return {
    shows: (p) => screen.shows(p),
    type: (keys) => order({ keys }),
    signal: (name) => order({ signal: name }),
    done,
  };
}

/** A scratch copy of `examples/<name>`; returns its directory. */
export function copyExample(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `kafkaform-cli-${name.replace(/\W/g, '-')}-`));
  cpSync(join(ROOT, 'examples', name), dir, { recursive: true });
  return dir;
}

/** A scratch directory. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'kafkaform-cli-'));
}

/**
 * A REST v3 simulator holding no topic, and a scratch directory whose manifests declare topics
 * `orders.<name>` for each of `names` on it. Closed after the test, held requests let go first.
 */
export async function newTopicsOnSimulator(
  t: { after(fn: () => Promise<void> | void): void },
  names: readonly string[],
): Promise<{ sim: V3Simulator; dir: string }> {
  const sim = await V3Simulator.start();
  t.after(() => sim.close());
  t.after(() => sim.release());
  const dir = scratch();
  writeFileSync(
    join(dir, 'kafkaform.yaml'),
    `apiVersion: kafkaform/v1
clusters:
  sim: { type: confluent, restUrl: "${sim.cloudUrl}" }
scope: { topics: ["orders."] }
topicDefaults: { partitions: 3, replicationFactor: 3 }
topics:
${names.map((n) => `  - name: orders.${n}`).join('\n')}
`,
  );
  return { sim, dir };
}

/** Reads a file as text. */
export function read(path: string): string {
  return readFileSync(path, 'utf8');
}
