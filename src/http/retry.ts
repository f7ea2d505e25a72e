/**
 * The retry policy shared by every HTTP target: which failures are worth retrying, how long to
 * wait before the next attempt, and the line that announces the wait. Pure functions, so the
 * policy is tested without a network; the delay and the line suit any target that retries.
 */
import { formatDuration } from '../duration.js';

/** Tunables of the retry policy; every field has a production default. */
export interface RetryOptions {
  /** Total attempts including the first; 1 disables retries. Default 6. */
  maxAttempts: number;
  /** First backoff delay; doubles per attempt. Default 500 ms. */
  baseDelayMs: number;
  /** Ceiling of any single wait, including one asked for by `Retry-After`. Default 60 s. */
  maxDelayMs: number;
}

/** Production defaults: about a minute of patience in total before giving up. */
export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Statuses that mean "the server is busy or a proxy failed", never "your request is wrong". */
const RETRIABLE_STATUSES = new Set([429, 502, 503, 504]);

/** True for statuses every target retries (429, 502, 503, 504). */
export function isRetriableStatus(status: number): boolean {
  return RETRIABLE_STATUSES.has(status);
}

/**
 * Network failures worth another attempt: the connection broke or a timeout fired. Refused
 * connections and DNS failures are left out on purpose: they are configuration problems that
 * retrying only delays.
 */
const RETRIABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** True when a thrown network error (by its `code`, or its cause's) is worth retrying. */
export function isRetriableNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRIABLE_NETWORK_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Parses a `Retry-After` header: delta-seconds or an HTTP-date. Returns milliseconds to wait
 * (0 for a date in the past), or undefined when absent or malformed.
 */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Delay before retry number `retry` (1 = the first retry): "full jitter" exponential backoff
 * (a random wait up to base·2^(retry-1)), but never less than what the server asked for with
 * `Retry-After`, and never more than `maxDelayMs`.
 */
export function retryDelay(
  retry: number,
  options: RetryOptions,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.round(random() * ceiling);
  return Math.min(options.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

/** A retry about to be waited for, as `retryLine` announces it. */
export interface RetryNotice {
  /** What is retried, never with credentials or a query string: `GET /kafka/v3/clusters/lkc-1/topics`. */
  what: string;
  /** Why, read after "after": `HTTP 503`, `no response within 30 s (timeouts.readMs)`. */
  after: string;
  delayMs: number;
  /** The attempt the wait leads to: 2 for the first retry. */
  attempt: number;
  maxAttempts: number;
}

/**
 * The line every target prints before it waits to retry, with or without `--debug`, so a slow or
 * failing server is never silent: `retrying GET /topics in 4 s after HTTP 503 (attempt 2 of 6)`.
 */
export function retryLine(notice: RetryNotice): string {
  const { what, after, delayMs, attempt, maxAttempts } = notice;
  return `retrying ${what} in ${formatDuration(delayMs)} after ${after} (attempt ${attempt} of ${maxAttempts})`;
}
