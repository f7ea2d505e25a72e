/**
 * Typed errors. Every failure a user can cause or meet is one of these; `src/commands/exit.ts` maps
 * them to one sentence per problem and an exit code in a single place.
 */

/** Severity of a manifest problem. */
export type Severity = 'error' | 'warning';

/** One problem in what the user wrote, with where it is. */
export interface ManifestProblem {
  severity: Severity;
  message: string;
  file: string;
  /** 1-based; 0 when the problem concerns a whole file. */
  line: number;
  /** 1-based; 0 when the problem concerns a whole file. */
  column: number;
  /** JSON pointer inside the document; empty for the whole document. */
  path: string;
}

/** Base of every expected failure. `exitCode` is what the CLI exits with. */
export class KafkaformError extends Error {
  /** Process exit code for this failure. */
  readonly exitCode: number = 1;
  override readonly name: string = 'KafkaformError';
}

/** The manifests are invalid; carries every problem found, not only the first. */
export class ManifestError extends KafkaformError {
  override readonly name = 'ManifestError';
  constructor(readonly problems: ManifestProblem[]) {
    super(`${problems.filter((p) => p.severity === 'error').length} problem(s) in the manifests`);
  }
}

/** Wrong use of the command line (unknown cluster, conflicting flags, missing variables, ...). */
export class UsageError extends KafkaformError {
  override readonly name = 'UsageError';
}

/** A configuration or connection setting problem (unset variable, unreadable snapshot, ...). */
export class ConfigError extends KafkaformError {
  override readonly name = 'ConfigError';
}

/**
 * A request to a cluster's API failed. The message never contains credentials; `url` has no
 * query string secrets and no userinfo.
 */
export class ApiError extends KafkaformError {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly details: {
      method: string;
      url: string;
      status?: number;
      /** The server's error code, e.g. Confluent's 40403 or DigitalOcean's `not_found`. */
      errorCode?: number | string;
      /** The server's own message, verbatim. */
      serverMessage?: string;
      /** True when retrying the same request may succeed. */
      retriable?: boolean;
    },
  ) {
    super(message);
  }
}

/**
 * The message with the status, error code and server text appended, the one form every
 * place that shows a failed request uses: the CLI's errors and reports, preflight findings.
 */
export function withFacts(err: ApiError): string {
  const { status, errorCode, serverMessage } = err.details;
  const facts = [
    status === undefined ? undefined : `HTTP ${status}`,
    errorCode === undefined ? undefined : `error_code ${errorCode}`,
    serverMessage === undefined || serverMessage === err.message ? undefined : `server: "${serverMessage}"`,
  ].filter((f): f is string => f !== undefined);
  return facts.length === 0 ? err.message : `${err.message} (${facts.join(', ')})`;
}

/** The plan cannot be carried out (errors in it, blast radius exceeded, stale saved plan, refusal). */
export class PlanRefusedError extends KafkaformError {
  override readonly name = 'PlanRefusedError';
}

/** Apply stopped part-way or did not converge; the report says what was done. */
export class ApplyError extends KafkaformError {
  override readonly name = 'ApplyError';
}

/**
 * The user interrupted the command (SIGINT, SIGTERM, Ctrl+C) and it stopped; the message says
 * what that left behind. Exit code 130, as a shell reports an interrupted command.
 */
export class InterruptedError extends KafkaformError {
  override readonly name = 'InterruptedError';
  override readonly exitCode = 130;
}

/**
 * The command's overall deadline (`--timeout`) passed before it finished. The deadline aborts
 * with one naming the cluster; targets throw their own naming what they waited for (request and
 * host).
 */
export class DeadlineError extends KafkaformError {
  override readonly name = 'DeadlineError';
  constructor(
    /** The deadline, counted from the command's start (time spent waiting for a person excluded). */
    readonly timeoutMs: number,
    message: string,
  ) {
    super(message);
  }
}

/** A bug in kafkaform itself. */
export class InternalError extends KafkaformError {
  override readonly name = 'InternalError';
}
