/**
 * What the workflow run tells the action: its inputs (`INPUT_*`) and the run's context
 * (`GITHUB_*` variables and the event payload at `GITHUB_EVENT_PATH`).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { tmpdir } from 'node:os';
import { ConfigError, UsageError } from '../errors.js';
import { EXPORT_FORMATS, type ExportFormat } from '../commands/index.js';
import { getBooleanInput, getInput, type RunnerEnv } from './runner.js';

/** The commands the action runs. */
export const ACTION_COMMANDS = ['validate', 'plan', 'apply', 'drift', 'export'] as const;
/** One of {@link ACTION_COMMANDS}. */
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

/** The action's inputs, checked. */
export interface ActionInputs {
  command: ActionCommand;
  /** Manifest files and directories, relative to `workingDirectory`. */
  paths: string[];
  /** Empty when the manifests declare one cluster or `KAFKAFORM_CLUSTER` is set. */
  cluster: string;
  allowDelete: boolean;
  comment: boolean;
  githubToken: string;
  failOnDrift: boolean;
  /** With drift: also write a snapshot of the live state here (relative to `workingDirectory`); empty for none. */
  exportSnapshot: string;
  /** Absolute; manifest paths and annotation file names are relative to it. */
  workingDirectory: string;
  /** Refuse plans deleting more ACL bindings than this; undefined for the commands' default. */
  maxAclDeletes: number | undefined;
  /** Units apply runs at once inside a phase; undefined for the command's default. */
  concurrency: number | undefined;
  /** `--target` selectors restricting plan, apply and drift to the resources they match; empty for all. */
  targets: string[];
  /** The kafkaform version the workflow pins; empty when it pins none. */
  version: string;
  /** With export: what to write. */
  exportFormat: ExportFormat;
  /** With export: the file to write (relative to `workingDirectory`). */
  exportPath: string;
}

/** Reads and checks the inputs; one sentence per wrong input. */
export function readInputs(env: RunnerEnv): ActionInputs {
  const command = getInput(env, 'command') || 'plan';
  if (!(ACTION_COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`Input "command" must be one of ${ACTION_COMMANDS.join(', ')}, not "${command}".`);
  }
  const paths = getInput(env, 'paths')
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const exportFormat = getInput(env, 'export-format') || 'snapshot';
  if (!(EXPORT_FORMATS as readonly string[]).includes(exportFormat)) {
    throw new UsageError(`Input "export-format" must be one of ${EXPORT_FORMATS.join(', ')}, not "${exportFormat}".`);
  }
  const exportPath = getInput(env, 'export-path');
  if (command === 'export' && exportPath === '') throw new UsageError('Input "export-path" is required with command: export.');
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  const dir = getInput(env, 'working-directory') || '.';
  return {
    command: command as ActionCommand,
    paths: paths.length > 0 ? paths : ['.'],
    cluster: getInput(env, 'cluster'),
    allowDelete: getBooleanInput(env, 'allow-delete', false),
    comment: getBooleanInput(env, 'comment', false),
    githubToken: getInput(env, 'github-token'),
    failOnDrift: getBooleanInput(env, 'fail-on-drift', true),
    exportSnapshot: getInput(env, 'export-snapshot'),
    workingDirectory: isAbsolute(dir) ? dir : join(workspace, dir),
    maxAclDeletes: getWholeNumberInput(env, 'max-acl-deletes', 0),
    concurrency: getWholeNumberInput(env, 'concurrency', 1),
    targets: lines(getInput(env, 'target')),
    version: getInput(env, 'version').replace(/^v(?=\d)/, ''),
    exportFormat: exportFormat as ExportFormat,
    exportPath,
  };
}

/** One item a line; blank lines and surrounding spaces dropped. */
function lines(value: string): string[] {
  return value
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** An input holding a whole number of at least `min`; undefined when empty. */
function getWholeNumberInput(env: RunnerEnv, name: string, min: number): number | undefined {
  const value = getInput(env, name);
  if (value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`Input "${name}" must be a whole number of at least ${min}, not "${value}".`);
  }
  return Number(value);
}

/** The pull request a run belongs to, from the event payload. */
export interface PullRequestInfo {
  number: number;
  /** The head commit (not the merge commit `GITHUB_SHA` names on `pull_request`). */
  headSha: string;
  /** True when the head branch lives in another repository: its token is read-only and secrets are absent. */
  fromFork: boolean;
}

/** The run's context, from `GITHUB_*` variables. */
export interface RunContext {
  eventName: string;
  /** `owner/name`. */
  repository: string;
  apiUrl: string;
  serverUrl: string;
  runId: string;
  sha: string;
  /** Set on `pull_request` and `pull_request_target` events. */
  pullRequest?: PullRequestInfo;
  /** Where files the step leaves behind go (`RUNNER_TEMP`). */
  tempDir: string;
}

/** Reads the run's context; the event payload only when the event concerns a pull request. */
export function readContext(env: RunnerEnv): RunContext {
  const eventName = env['GITHUB_EVENT_NAME'] ?? '';
  const context: RunContext = {
    eventName,
    repository: env['GITHUB_REPOSITORY'] ?? '',
    apiUrl: (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl: (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, ''),
    runId: env['GITHUB_RUN_ID'] ?? '',
    sha: env['GITHUB_SHA'] ?? '',
    tempDir: env['RUNNER_TEMP'] || tmpdir(),
  };
  const eventPath = env['GITHUB_EVENT_PATH'];
  if (eventPath && (eventName === 'pull_request' || eventName === 'pull_request_target')) {
    context.pullRequest = readPullRequest(eventPath);
  }
  return context;
}

function readPullRequest(eventPath: string): PullRequestInfo {
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(eventPath, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Could not read the event payload ${eventPath}: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const pr = field(event, 'pull_request');
  const number = field(pr, 'number');
  if (typeof number !== 'number') throw new ConfigError(`The event payload ${eventPath} has no pull_request.number.`);
  const headSha = field(field(pr, 'head'), 'sha');
  const headRepo = field(field(field(pr, 'head'), 'repo'), 'full_name');
  const baseRepo = field(field(field(pr, 'base'), 'repo'), 'full_name');
  return {
    number,
    headSha: typeof headSha === 'string' ? headSha : '',
    // A deleted fork leaves `head.repo` null: treat anything but the same repository as a fork.
    fromFork: typeof headRepo !== 'string' || headRepo !== baseRepo,
  };
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
