// Runs the real binary (`node bin/kafkaform.js`, built by `npm run build`) in a scratch copy of an
// example, as a user would.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin', 'kafkaform.js');

if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
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

/** Runs kafkaform synchronously with stdin closed (not a terminal). */
export function kafkaform(args: string[], options: { cwd: string; env?: Record<string, string> }): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: baseEnv(options.env ?? {}),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs kafkaform in the background. */
export function kafkaformAsync(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: baseEnv(options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
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

/** Reads a file as text. */
export function read(path: string): string {
  return readFileSync(path, 'utf8');
}
