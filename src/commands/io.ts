/**
 * What a command needs from the world, passed in rather than taken from `process`, so the CLI and
 * the GitHub Action drive the same functions.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProgressDisplay } from '../progress/index.js';

/** Writes text as is (callers add newlines). */
export type Writer = (text: string) => void;

/** The environment a command runs in. */
export interface Io {
  /** Results: plans, exports, summaries. */
  stdout: Writer;
  /** Progress, warnings and errors. */
  stderr: Writer;
  /** Environment variables (manifest `${VAR}`s, `KAFKAFORM_CLUSTER`, `NO_COLOR`, `FORCE_COLOR`, `TERM`). */
  env: Record<string, string | undefined>;
  /** True when stdout is a terminal: enables colour there (see `useColor`). */
  isTTY: boolean;
  /** True when stderr is a terminal: enables colour in errors and warnings. Absent: false. */
  stderrIsTTY?: boolean;
  /** The user asked for no colour (`--no-color`), which wins over everything else. */
  noColor?: boolean;
  /**
   * True when a person can answer `prompt` (stdin is a terminal, whatever stdout is): enables the
   * apply confirmation. Absent: false.
   */
  canPrompt?: boolean;
  /**
   * Asks a question on the terminal and resolves with the answer, or with null when the person
   * gave none: Ctrl+C, Ctrl+D, the end of input, or `signal` aborted.
   */
  prompt: (question: string, signal?: AbortSignal) => Promise<string | null>;
  /**
   * Runs `fn`, a command that changes a cluster, so that it can stop gracefully: the signal it
   * gets is aborted at the first SIGINT or SIGTERM, and `fn` then starts nothing new, lets what
   * runs finish and reports. A second one ends the process at once. Absent: never interrupted.
   */
  interruptible?: <T>(fn: (interrupted: AbortSignal) => Promise<T>) => Promise<T>;
  /**
   * Opens a live display of progress, for a terminal on stderr (the CLI's bar). Absent: progress
   * is plain lines on stderr (pipes, logs, the Action).
   */
  liveProgress?: () => Promise<ProgressDisplay>;
  /** Directory relative paths resolve against; the process's when absent. */
  cwd?: string;
}

/** Output formats of `plan` and `drift`; the first is the default, as in the lists below. */
export const OUTPUT_FORMATS = ['text', 'json', 'markdown'] as const;
/** An output format of `plan` and `drift`. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Output formats of `validate`. */
export const VALIDATE_FORMATS = ['text', 'json', 'sarif'] as const;
/** An output format of `validate`. */
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

/** What `export` writes: by default a manifest, the start of managing a cluster that exists. */
export const EXPORT_FORMATS = ['manifest', 'snapshot'] as const;
/** A format of `export`. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Whether to colour what goes to `stream`, by the conventions of no-color.org and force-color.org,
 * first match wins: `--no-color`; `NO_COLOR` set and non-empty; `FORCE_COLOR` set and non-empty
 * (`0` and `false` turn colour off, anything else on, terminal or not: CI logs render colour);
 * `TERM=dumb`; else whether the stream is a terminal. Files written with `--out` are never coloured.
 */
export function useColor(io: Io, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  if (io.noColor === true) return false;
  const set = (name: string): string | undefined => {
    const value = io.env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  if (set('NO_COLOR') !== undefined) return false;
  const force = set('FORCE_COLOR');
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (io.env['TERM'] === 'dumb') return false;
  return stream === 'stdout' ? io.isTTY : io.stderrIsTTY === true;
}

/** kafkaform's version, from its package.json. */
export function packageVersion(): string {
  // Same relative depth from src/commands and dist/commands to package.json; bundles rewrite it.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Resolves a user-given path against the command's working directory. */
export function resolvePath(io: Io, path: string): string {
  return io.cwd === undefined ? resolve(path) : resolve(io.cwd, path);
}

/** Writes a result to `out` when given (saying so on stderr), to stdout otherwise. */
export async function emit(io: Io, text: string, out: string | undefined, what: string): Promise<void> {
  if (out === undefined) {
    io.stdout(text);
    return;
  }
  // Atomic, so a reader (or a snapshot cluster using this file) never sees half of it.
  const { writeFileAtomic } = await import('../targets/snapshot/file.js');
  await writeFileAtomic(resolvePath(io, out), text);
  io.stderr(`${what} written to ${out}.\n`);
}
