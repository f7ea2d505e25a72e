// Runs the real binary (`node bin/kafkaform.js`, built by `npm run build`) in a scratch copy of an
// example, as a user would.
import { spawn } from 'node:child_process';
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

/** Runs kafkaform with stdin closed (not a terminal); tests await it, so they can run side by side. */
export function kafkaform(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: baseEnv(options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
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
