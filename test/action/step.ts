/**
 * Runs the action's entry point the way the runner does: a fresh `node` process in the workspace,
 * inputs as `INPUT_*` variables, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files, the event payload
 * at `GITHUB_EVENT_PATH`, and `GITHUB_API_URL` pointing at the loopback GitHub simulator.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommands, parseOutputFile, type ParsedCommand } from './runner-files.js';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The committed bundle action.yml names. */
export const BUNDLE = join(ROOT, 'action', 'index.mjs');

let fresh: string | undefined;

/**
 * A bundle of the current sources, built once per test process with the committed bundle's
 * options: steps run as fast as the runner runs the action, and test what the sources do now
 * even while the committed bundle is being brought up to date.
 */
function freshBundle(): string {
  if (fresh === undefined) {
    const file = join(mkdtempSync(join(tmpdir(), 'kafkaform-bundle-')), 'index.mjs');
    const build = spawnSync(process.execPath, [join(ROOT, 'action', 'build.mjs'), '--place', file], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the action bundle failed:\n${build.stderr}`);
    fresh = file;
  }
  return fresh;
}

/** What one step left behind. */
export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  commands: ParsedCommand[];
}

/** How to run a step. */
export interface StepOptions {
  /** Workspace (GITHUB_WORKSPACE and the process's working directory). */
  workspace: string;
  /** Inputs by their action.yml names. */
  inputs: Record<string, string>;
  eventName?: string;
  event?: unknown;
  env?: Record<string, string>;
  /** Run the committed bundle instead of a fresh bundle of the sources. */
  committed?: boolean;
}

/** A pull_request event payload for `acme/platform`, from a branch or from a fork. */
export function pullRequestEvent(number: number, fork = false): unknown {
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      head: { sha: 'c0ffee0123456789abcdef0123456789abcdef01', repo: { full_name: fork ? 'someone/platform' : 'acme/platform' } },
      base: { sha: 'base000000000000000000000000000000000000', repo: { full_name: 'acme/platform' } },
    },
    repository: { full_name: 'acme/platform' },
  };
}

/** Runs the action once, as a step. */
export async function runStep(options: StepOptions): Promise<StepResult> {
  const runner = mkdtempSync(join(tmpdir(), 'kafkaform-runner-'));
  const output = join(runner, 'output');
  const summary = join(runner, 'summary');
  const eventPath = join(runner, 'event.json');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  writeFileSync(eventPath, JSON.stringify(options.event ?? {}));
  mkdirSync(join(runner, 'temp'));
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_EVENT_NAME: options.eventName ?? 'pull_request',
    GITHUB_REPOSITORY: 'acme/platform',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_SHA: 'merge000000000000000000000000000000000000',
    RUNNER_TEMP: join(runner, 'temp'),
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const entry = options.committed ? BUNDLE : freshBundle();
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [entry], { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (c) => done({ code: c ?? -1, stdout: out, stderr: err }));
  });
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(output),
    summary: readFileSync(summary, 'utf8'),
    commands: parseCommands(stdout),
  };
}
