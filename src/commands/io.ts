/**
 * What a command needs from the world, passed in rather than taken from `process`, so the CLI and
 * the GitHub Action drive the same functions.
 */
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
  /** Environment variables (manifest `${VAR}`s, `KAFKAFORM_CLUSTER`, `NO_COLOR`). */
  env: Record<string, string | undefined>;
  /** True when stdout is a terminal: enables colour. */
  isTTY: boolean;
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

/** Output formats of `plan` and `drift`. */
export const OUTPUT_FORMATS = ['text', 'json', 'markdown'] as const;
/** An output format of `plan` and `drift`. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What `export` writes. */
export const EXPORT_FORMATS = ['snapshot', 'manifest'] as const;
/** A format of `export`. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Colour only on a terminal, and never when `NO_COLOR` is set to anything non-empty. */
export function useColor(io: Io): boolean {
  const noColor = io.env['NO_COLOR'];
  return io.isTTY && (noColor === undefined || noColor === '');
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
