import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { Pool } from 'undici';
import { ApiError, ConfigError, DeadlineError } from '../errors.js';
import { sleep, untilAborted } from '../deadline.js';
import { formatDuration } from '../duration.js';
import { encodeQuery, type Query } from './url.js';
import {
  DEFAULT_RETRY,
  isRetriableNetworkError,
  isRetriableStatus,
  parseRetryAfter,
  retryDelay,
  retryLine,
  type RetryOptions,
} from './retry.js';
import { USER_AGENT } from './version.js';
import type { Meter } from '../progress/index.js';

/** Credentials sent with every request. */
export type HttpAuth =
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string };

/** What a failed response looked like, for retry decisions and error messages. */
export interface HttpFailure {
  status: number;
  /** The server's error code, when its body carried one. */
  errorCode?: number | string;
  /** The server's message, when its body carried one. */
  serverMessage?: string;
  /** The parsed body (undefined when it was not JSON, e.g. an HTML error page). */
  body: unknown;
}

/** Everything an `ApiError` message is built from. */
export type ApiErrorDetails = ApiError['details'];

/** Options of one HTTP client (one per cluster). Only `baseUrl` is required. */
export interface HttpClientOptions {
  /** Base URL every request path is appended to, e.g. `https://host/kafka/v3`. */
  baseUrl: string;
  auth?: HttpAuth;
  /** PEM file with extra CA certificates to trust (private CAs). */
  caFile?: string;
  /**
   * Turns TLS certificate verification off. Dangerous: anyone on the path can read the
   * credentials. Only for throw-away test clusters; a warning is logged when used.
   */
  insecureSkipTlsVerify?: boolean;
  /** TCP + TLS connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /** Maximum wait for response headers, and between two chunks of a body. Default 30 s. */
  readTimeoutMs?: number;
  /**
   * Aborted when the command stops waiting (its deadline, or an interrupt before any change):
   * requests in flight and retry delays end at once, with the signal's reason, or a
   * `DeadlineError` naming the host and the request when the deadline fired.
   */
  signal?: AbortSignal;
  /** Keep-alive connections in the pool. Default 16. */
  connections?: number;
  retry?: Partial<RetryOptions>;
  /** Target-specific retriable failures, in addition to 429/502/503/504 (e.g. Confluent 50003). */
  retriable?: (failure: HttpFailure) => boolean;
  /** Extracts the error code and message from an error body; default understands common shapes. */
  errorInfo?: (body: unknown) => { errorCode?: number | string; serverMessage?: string };
  /** Builds the one-sentence message of an `ApiError`; default: method, URL, status, server text. */
  describeError?: (details: ApiErrorDetails) => string;
  /** Parses JSON bodies; default `JSON.parse` (DigitalOcean swaps in a lossless parser). */
  parseJson?: (text: string) => unknown;
  /** Serialises request bodies; default `JSON.stringify` (DigitalOcean writes 64-bit numbers losslessly). */
  stringifyJson?: (value: unknown) => string;
  /** Waits between attempts; tests inject a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); tests inject a fixed one. */
  random?: () => number;
  /** Warnings and retries (always) and per-request lines (with `debug`); never receives credentials. */
  log?: (line: string) => void;
  /** Told of every request sent (each attempt) and of the bytes of every answer, for progress. */
  meter?: Meter;
  debug?: boolean;
}

/** Default TCP + TLS connect timeout. */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Default wait for response headers, and between two chunks of a body. */
const DEFAULT_READ_TIMEOUT_MS = 30_000;

/** HTTP methods kafkaform uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request. `path` is relative to the base URL and must already be encoded (see `path```). */
export interface HttpRequest {
  method: HttpMethod;
  /** `/clusters/x/topics`, or an absolute URL (e.g. a `metadata.next` link). */
  path: string;
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
}

/** A successful (2xx) response. */
export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/**
 * Reads a successful response's body. Receives the raw byte stream so large list pages can be
 * parsed incrementally; called again from scratch when the request is retried.
 */
export type BodyConsumer<T> = (body: AsyncIterable<Uint8Array>, parseJson: (text: string) => unknown) => Promise<T>;

/** The default consumer: the whole body as text, parsed as JSON (undefined when empty). */
export const consumeJson: BodyConsumer<unknown> = async (body, parseJson) => {
  const text = await collectText(body);
  return text.trim() === '' ? undefined : parseJson(text);
};

const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * An HTTP client bound to one base URL: a keep-alive pool, authentication, TLS, timeouts and the
 * shared retry policy. Errors are `ApiError`s whose messages never contain credentials.
 */
export class HttpClient {
  readonly #base: URL;
  readonly #pool: Pool;
  readonly #headers: Record<string, string>;
  readonly #secrets: string[];
  readonly #retry: RetryOptions;
  readonly #options: HttpClientOptions;
  readonly #parseJson: (text: string) => unknown;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #timeouts: Timeouts;
  /**
   * Until when (epoch ms) every request of this client holds back because the server answered
   * 429. Shared, so one rate-limit answer pauses all requests in flight instead of each of them
   * running into its own 429 (and its own backoff, which would leave the server's budget unused).
   */
  #pausedUntil = 0;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    this.#base = parseBaseUrl(options.baseUrl);
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#parseJson = options.parseJson ?? JSON.parse;
    this.#sleep = options.sleep ?? ((ms) => sleep(ms, options.signal));
    this.#random = options.random ?? Math.random;
    this.#headers = { 'user-agent': USER_AGENT, accept: 'application/json' };
    this.#secrets = [];
    const auth = options.auth;
    if (auth?.type === 'basic') {
      const encoded = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
      this.#headers.authorization = `Basic ${encoded}`;
      this.#secrets.push(auth.password, auth.username, encoded);
    } else if (auth?.type === 'bearer') {
      this.#headers.authorization = `Bearer ${auth.token}`;
      this.#secrets.push(auth.token);
    }
    // Longest first, so a secret containing another is redacted whole.
    this.#secrets = this.#secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);

    let ca: string | undefined;
    if (options.caFile !== undefined) {
      try {
        ca = readFileSync(options.caFile, 'utf8');
      } catch (err) {
        throw new ConfigError(`Cannot read the CA file ${options.caFile}: ${(err as Error).message}`);
      }
    }
    if (options.insecureSkipTlsVerify === true && this.#base.protocol === 'https:') {
      options.log?.(`WARNING: TLS certificate verification is disabled for ${this.#base.origin} (insecureSkipTlsVerify); credentials can be intercepted.`);
    }
    this.#timeouts = {
      connectMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      readMs: options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
    };
    this.#pool = new Pool(this.#base.origin, {
      connections: options.connections ?? 16,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: this.#timeouts.readMs,
      bodyTimeout: this.#timeouts.readMs,
      connect: {
        timeout: this.#timeouts.connectMs,
        rejectUnauthorized: options.insecureSkipTlsVerify !== true,
        ...(ca !== undefined ? { ca } : {}),
      },
    });
  }

  /** The base URL, without credentials. */
  get baseUrl(): string {
    return this.#base.href.replace(/\/$/, '');
  }

  /**
   * Sends a request, retrying what the policy allows, and returns the 2xx response with its body
   * read by `consume` (JSON by default). Throws `ApiError` otherwise.
   */
  async request<T = unknown>(req: HttpRequest, consume?: BodyConsumer<T>): Promise<HttpResponse<T>> {
    const target = this.#resolve(req.path, req.query);
    const display = this.#redact(`${this.#base.origin}${target}`);
    const progress: Progress = { failures: 0 };
    try {
      return await this.#send(req, target, display, progress, consume);
    } catch (err) {
      const signal = this.#options.signal;
      if (signal?.aborted) throw this.#stopped(signal.reason, req.method, display, progress);
      throw err;
    }
  }

  async #send<T>(
    req: HttpRequest,
    target: string,
    display: string,
    progress: Progress,
    consume: BodyConsumer<T> | undefined,
  ): Promise<HttpResponse<T>> {
    // Retry lines name the path only: a query may carry page tokens or other secrets.
    const what = `${req.method} ${this.#redact(target.split('?')[0] ?? target)}`;
    const headers: Record<string, string> = { ...this.#headers };
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = (this.#options.stringifyJson ?? JSON.stringify)(req.body);
      headers['content-type'] = 'application/json';
    }
    let slept = false;
    for (let attempt = 1; ; attempt++) {
      // A request that just slept its own retry delay has waited out the pause it caused.
      if (!slept) await this.#holdBack(display);
      slept = false;
      const started = Date.now();
      this.#options.meter?.sent();
      let failure: { retriable: boolean; error: ApiError; retryAfterMs?: number };
      try {
        const res = await this.#pool.request({
          origin: this.#base.origin,
          path: target,
          method: req.method,
          headers,
          ...(this.#options.signal !== undefined ? { signal: this.#options.signal } : {}),
          ...(payload !== undefined ? { body: payload } : {}),
        });
        const resHeaders = res.headers as Record<string, string | string[] | undefined>;
        const meter = this.#options.meter;
        const resBody = meter === undefined ? res.body : metered(res.body, meter);
        if (res.statusCode >= 200 && res.statusCode < 300) {
          const body = await (consume ?? (consumeJson as BodyConsumer<T>))(resBody, this.#parseJson);
          this.#debug(`${req.method} ${display} -> ${res.statusCode} (${Date.now() - started} ms)`);
          return { status: res.statusCode, headers: resHeaders, body };
        }
        const text = await collectText(resBody, ERROR_BODY_LIMIT);
        this.#debug(`${req.method} ${display} -> ${res.statusCode} (${Date.now() - started} ms)`);
        let parsed: unknown;
        try {
          parsed = text.trim() === '' ? undefined : this.#parseJson(text);
        } catch {
          parsed = undefined; // e.g. an HTML error page from a proxy or rate limiter
        }
        const info = (this.#options.errorInfo ?? defaultErrorInfo)(parsed);
        const httpFailure: HttpFailure = { status: res.statusCode, body: parsed, ...info };
        const retriable =
          isRetriableStatus(res.statusCode) || (this.#options.retriable?.(httpFailure) ?? false);
        const retryAfter = header(resHeaders, 'retry-after');
        failure = {
          retriable,
          error: this.#apiError({
            method: req.method,
            url: display,
            status: res.statusCode,
            ...(info.errorCode !== undefined ? { errorCode: info.errorCode } : {}),
            ...(info.serverMessage !== undefined ? { serverMessage: this.#redact(info.serverMessage) } : {}),
            retriable,
          }),
          ...(retryAfter !== undefined ? { retryAfterMs: parseRetryAfter(retryAfter) } : {}),
        };
      } catch (err) {
        if (err instanceof ApiError || err instanceof ConfigError || this.#options.signal?.aborted) throw err;
        if (err instanceof SyntaxError) {
          throw this.#apiError({ method: req.method, url: display, serverMessage: 'the response is not valid JSON', retriable: false });
        }
        const retriable = isRetriableNetworkError(err);
        const problem = networkProblem(err, this.#timeouts);
        this.#debug(`${req.method} ${display} -> ${problem} (${Date.now() - started} ms)`);
        failure = {
          retriable,
          error: this.#apiError({ method: req.method, url: display, serverMessage: problem, retriable }),
        };
      }
      progress.failures = attempt;
      progress.last = describeAttempt(failure.error.details);
      if (!failure.retriable || attempt >= this.#retry.maxAttempts) throw failure.error;
      const delay = retryDelay(attempt, this.#retry, failure.retryAfterMs, this.#random);
      if (failure.error.details.status === 429) this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + delay);
      this.#options.log?.(
        retryLine({ what, after: progress.last, delayMs: delay, attempt: attempt + 1, maxAttempts: this.#retry.maxAttempts }),
      );
      await this.#pause(delay);
      slept = true;
    }
  }

  /** Waits while a 429 answer to any request of this client asks everybody to pause. */
  async #holdBack(display: string): Promise<void> {
    const wait = this.#pausedUntil - Date.now();
    if (wait <= 0) return;
    this.#debug(`holding ${display} back ${wait} ms: the server is rate limiting`);
    await this.#pause(wait);
  }

  /** Sleeps (through the injectable `sleep`) until `ms` passed or the signal aborts. */
  async #pause(ms: number): Promise<void> {
    await untilAborted(this.#sleep(ms), this.#options.signal);
  }

  /**
   * The error to throw when the signal stopped a request: its own reason (an interrupt), or for
   * the deadline, one sentence naming the request, the host and the timeout.
   */
  #stopped(reason: unknown, method: string, display: string, progress: Progress): Error {
    if (!(reason instanceof DeadlineError)) return reason instanceof Error ? reason : new Error(String(reason));
    const state =
      progress.last === undefined
        ? `no answer from ${this.#base.host}`
        : `${this.#base.host} still failing after ${progress.failures} failed attempt${progress.failures === 1 ? '' : 's'} (last: ${progress.last})`;
    return new DeadlineError(
      reason.timeoutMs,
      this.#redact(`${method} ${display}: ${state} within the command's ${formatDuration(reason.timeoutMs)} deadline; raise it with --timeout`),
    );
  }

  /** Closes the pool's connections. */
  async close(): Promise<void> {
    await this.#pool.close();
  }

  /** Path + query on our origin. Absolute links are re-based onto our origin: credentials never
   * go to a host the user did not configure, even if a proxy advertises another name. */
  #resolve(path: string, query: Query | undefined): string {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
      const link = new URL(path);
      if (link.origin !== this.#base.origin) {
        this.#debug(`following link on ${this.#base.origin} instead of ${link.origin}`);
      }
      const extra = encodeQuery(query);
      if (link.search === '') return `${link.pathname}${extra}`;
      return `${link.pathname}${link.search}${extra === '' ? '' : `&${extra.slice(1)}`}`;
    }
    const basePath = this.#base.pathname.replace(/\/$/, '');
    return `${basePath}${path.startsWith('/') ? path : `/${path}`}${encodeQuery(query)}`;
  }

  #apiError(details: ApiErrorDetails): ApiError {
    const message = (this.#options.describeError ?? defaultDescribe)(details);
    return new ApiError(this.#redact(message), details);
  }

  /** Removes every credential from a text, whatever produced it. */
  #redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('***');
    return out;
  }

  #debug(line: string): void {
    if (this.#options.debug) this.#options.log?.(`http: ${this.#redact(line)}`);
  }
}

function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`The URL "${raw}" is not a valid absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`The URL ${url.origin} must use https (or http for local endpoints).`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(`The URL for ${url.host} must not contain credentials; use the auth setting.`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError(`The URL for ${url.host} must not contain a query or fragment.`);
  }
  return url;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Understands `{error_code, message}` (Confluent) and `{id, message}` (DigitalOcean). */
function defaultErrorInfo(body: unknown): { errorCode?: number | string; serverMessage?: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  const code = b.error_code ?? b.id ?? b.code;
  const message = b.message ?? b.error ?? b.detail;
  return {
    ...(typeof code === 'number' || typeof code === 'string' ? { errorCode: code } : {}),
    ...(typeof message === 'string' ? { serverMessage: message } : {}),
  };
}

function defaultDescribe(d: ApiErrorDetails): string {
  const what = d.status === undefined ? '' : ` ${d.status} ${STATUS_CODES[d.status] ?? ''}`.trimEnd();
  const code = d.errorCode === undefined ? '' : ` (error ${d.errorCode})`;
  const text = d.serverMessage === undefined ? '' : `: ${d.serverMessage}`;
  return `${d.method} ${d.url} failed:${what}${code}${text}`.replace('failed::', 'failed:');
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** The timeouts in force, for messages. */
interface Timeouts {
  connectMs: number;
  readMs: number;
}

/** How far one request got, for the message when the deadline stops it. */
interface Progress {
  failures: number;
  /** The last failed attempt, as `describeAttempt` puts it. */
  last?: string;
}

/** A failed attempt in a few words: `HTTP 503`, `HTTP 500 (error 50003)`, or the network problem. */
function describeAttempt(d: ApiErrorDetails): string {
  if (d.status === undefined) return d.serverMessage ?? 'a network failure';
  return d.errorCode === undefined ? `HTTP ${d.status}` : `HTTP ${d.status} (error ${d.errorCode})`;
}

/** One phrase for a network-level failure; timeouts say which one and how long it is. */
function networkProblem(err: unknown, timeouts: Timeouts): string {
  let code: string | undefined;
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4 && code === undefined; depth++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') code = c;
    e = (e as { cause?: unknown }).cause;
  }
  if (code !== undefined && TLS_CODES.has(code)) {
    return `TLS certificate verification failed (${code}); set caFile to trust a private CA`;
  }
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `no connection within ${formatDuration(timeouts.connectMs)} (timeouts.connectMs)`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `no response within ${formatDuration(timeouts.readMs)} (timeouts.readMs)`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
    case 'EPIPE':
      return 'the connection closed unexpectedly';
    default:
      return code === undefined ? (err instanceof Error ? err.message : String(err)) : `a network error (${code})`;
  }
}

/** The body's chunks as they are read, each counted by `meter`. */
async function* metered(body: AsyncIterable<Uint8Array>, meter: Meter): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    meter.received(chunk.byteLength);
    yield chunk;
  }
}

/** Reads a body stream as UTF-8 text, keeping at most `limit` bytes (the rest is drained). */
async function collectText(body: AsyncIterable<Uint8Array>, limit = Infinity): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < limit) {
      const buf = Buffer.from(chunk);
      chunks.push(size + buf.length > limit ? buf.subarray(0, limit - size) : buf);
      size += buf.length;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
