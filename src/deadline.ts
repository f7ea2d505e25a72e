/**
 * How long a command may wait. One `Deadline` per command that reaches a cluster; its `signal`
 * reaches every wait of the target (requests, retry delays, polls), and the signal's `reason` is
 * the typed error to throw when it fires.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { DeadlineError } from './errors.js';
import { formatDuration } from './duration.js';

/** Overall deadline of a command that reaches a cluster, unless `--timeout` says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30 * 60_000;

/**
 * A command's overall deadline. The clock starts at construction and stops while the command
 * waits for a person (`paused`), so a confirmation read slowly does not eat the budget.
 */
export class Deadline {
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #left: number;
  #since = 0;

  constructor(
    /** The budget in milliseconds. */
    readonly timeoutMs: number,
    /** What runs against the clock, for the message: `cluster prod`. */
    private readonly what: string,
  ) {
    this.#left = timeoutMs;
    this.#start();
  }

  /** Aborted with a `DeadlineError` when the budget is spent. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Runs `fn`, which waits for a person, with the clock stopped. */
  async paused<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#timer === undefined) return fn();
    this.#stop();
    try {
      return await fn();
    } finally {
      this.#start();
    }
  }

  /** Stops the clock for good; the signal is never aborted after this. */
  dispose(): void {
    this.#stop();
  }

  #start(): void {
    if (this.#controller.signal.aborted) return;
    this.#since = Date.now();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#controller.abort(
        new DeadlineError(
          this.timeoutMs,
          `${this.what} did not finish within the command's ${formatDuration(this.timeoutMs)} deadline; raise it with --timeout`,
        ),
      );
    }, Math.max(0, this.#left));
  }

  #stop(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#left -= Date.now() - this.#since;
  }
}

/** Settles as `promise` does, or rejects with `signal.reason` as soon as the signal aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err as Error);
      },
    );
  });
}

/** Waits `ms`, or rejects with `signal.reason` as soon as the signal aborts (the timer is cleared). */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleepFor(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (err) {
    if (signal?.aborted) throw signal.reason as Error;
    throw err;
  }
}
