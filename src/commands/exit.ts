/**
 * The one place where failures become what the user sees and the exit code: one clear sentence
 * per problem, stack traces only with `--debug`, colour only when allowed.
 */
import { ApiError, InterruptedError, KafkaformError, ManifestError, withFacts, type ManifestProblem } from '../errors.js';
import {
  ApplyInterruptedError,
  ApplyStoppedError,
  NotConvergedError,
  PreflightRefusedError,
  type ApplyReport,
} from '../apply/executor.js';
import { describeAction } from '../apply/labels.js';
import { safe } from '../render/escape.js';
import { sortProblems } from '../manifest/problems.js';
import type { Writer } from './io.js';

/** Exit codes, the contract with scripts and CI. */
export const EXIT = {
  /** Success, or no changes. */
  ok: 0,
  /** Any error. */
  error: 1,
  /** Changes present (`plan --detailed-exitcode`, `drift`). */
  changes: 2,
  /** Interrupted (SIGINT, SIGTERM, Ctrl+C or Ctrl+D at the confirmation), as a shell reports it. */
  interrupted: 130,
} as const;

/** Where and how to report. */
export interface ReportOptions {
  stderr: Writer;
  debug: boolean;
  color: boolean;
}

const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

function paint(text: string, code: string, color: boolean): string {
  return color ? `${code}${text}${RESET}` : text;
}

/**
 * Longest problem text shown whole. Messages quote what the user wrote, so a 4 MiB topic name
 * would otherwise come back as a 4 MiB line; past this, the head and tail are kept (the location
 * already says where to look).
 */
const MAX_PROBLEM_TEXT = 1000;

function abbreviate(text: string): string {
  if (text.length <= MAX_PROBLEM_TEXT) return text;
  const head = 600;
  const tail = 300;
  return `${text.slice(0, head)}… (${text.length - head - tail} characters omitted) …${text.slice(-tail)}`;
}

/** `file:line:col: message (path)`; warnings say so. Control characters are escaped, huge texts abbreviated. */
export function formatProblem(problem: ManifestProblem, color = false): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
  const label = problem.severity === 'warning' ? `${paint('warning', YELLOW, color)}: ` : '';
  const path = problem.path === '' ? '' : ` (${problem.path})`;
  return `${safe(where)}: ${label}${safe(abbreviate(`${problem.message}${path}`))}`;
}

/** Writes warnings (never fatal) to stderr. */
export function reportWarnings(problems: readonly ManifestProblem[], options: ReportOptions): void {
  for (const p of sortProblems(problems)) {
    options.stderr(`${formatProblem({ ...p, severity: 'warning' }, options.color)}\n`);
  }
}

/** One line for a failed request or step: the sentence, then status, error code and server text. */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiError) return safe(withFacts(error));
  return safe(error instanceof Error ? error.message : String(error));
}

function reportLines(report: ApplyReport): string[] {
  const lines: string[] = [];
  const section = (title: string, items: string[]): void => {
    if (items.length === 0) return;
    lines.push(`${title} (${items.length}):`);
    for (const item of items) lines.push(`  ${item}`);
  };
  section(
    'Done',
    report.done.map((u) => safe(u.label)),
  );
  section(
    'Failed',
    report.failed.map((u) => `${safe(u.label)}: ${describeFailure(u.error)}`),
  );
  section(
    'Not attempted',
    report.notAttempted.map((u) => safe(u.label)),
  );
  return lines;
}

/**
 * Reports `error` on stderr and returns the exit code. Expected failures (`KafkaformError`) get
 * their sentence; anything else is a bug in kafkaform and says so.
 */
export function reportError(error: unknown, options: ReportOptions): number {
  const { stderr, debug, color } = options;
  const head = (text: string): void => stderr(`${paint('error', RED + BOLD, color)}: ${safe(text)}\n`);
  const line = (text: string): void => stderr(`${text}\n`);

  if (error instanceof ManifestError) {
    const problems = sortProblems(error.problems);
    for (const p of problems) line(formatProblem(p, color));
    const errors = problems.filter((p) => p.severity === 'error').length;
    head(`${errors} problem${errors === 1 ? '' : 's'} in the manifests`);
  } else if (error instanceof PreflightRefusedError) {
    head(error.message);
    for (const f of error.findings) line(`  ${describeAction(f.action)}: ${safe(f.message)}`);
  } else if (error instanceof ApplyStoppedError) {
    head(`${error.message}; running apply again continues from here`);
    for (const l of reportLines(error.report)) line(l);
  } else if (error instanceof ApplyInterruptedError) {
    // The user asked for this: what it left behind, not an error.
    line(error.message);
    for (const l of reportLines(error.report)) line(l);
  } else if (error instanceof InterruptedError) {
    line(safe(error.message));
  } else if (error instanceof NotConvergedError) {
    head(error.message);
    for (const a of error.remaining.actions) line(`  still to ${describeAction(a)}`);
    for (const e of error.remaining.errors) line(`  ${safe(e.reason)}`);
  } else if (error instanceof ApiError) {
    head(describeFailure(error));
    if (debug) line(`  request: ${error.details.method} ${safe(error.details.url)}`);
  } else if (error instanceof KafkaformError && error.name !== 'InternalError') {
    // Some errors carry one sentence per line (e.g. every unset variable of a cluster).
    for (const sentence of error.message.split('\n')) head(sentence);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    head(`internal error: ${message}. This is a bug in kafkaform; please report it with the output of --debug`);
  }
  if (debug && error instanceof Error && error.stack) {
    for (const l of error.stack.split('\n')) line(safe(l));
  }
  return error instanceof KafkaformError ? error.exitCode : EXIT.error;
}
