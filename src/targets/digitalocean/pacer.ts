/**
 * Client-side pacing by DigitalOcean's `ratelimit-remaining` / `ratelimit-reset` headers, so a
 * large read or apply slows down before the server starts answering 429 instead of after.
 *
 * DigitalOcean's window slides: `ratelimit-reset` is when the oldest counted request expires and
 * frees a slot. When the budget we know of is spent, requests wait for that moment; while
 * requests are in flight, their responses bring fresher numbers, so we wait for those first.
 * A 429 that still happens (other clients share the token) is retried by the HTTP layer with
 * `Retry-After`.
 */

/** Headers of a response, as the HTTP layer returns them. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

function header(headers: ResponseHeaders, name: string): number | undefined {
  const raw = headers[name];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/** Paces requests of one API token. */
export class RateLimitPacer {
  #remaining: number | undefined;
  #resetAtMs = 0;
  #inFlight = 0;
  #chain: Promise<void> = Promise.resolve();
  #wakers: (() => void)[] = [];

  constructor(
    /** Longest single wait (tests shrink it; production waits up to a minute). */
    private readonly maxWaitMs: number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly now: () => number = Date.now,
    private readonly log?: (line: string) => void,
  ) {}

  /** Waits until the known budget allows one more request, and counts it as in flight. */
  acquire(): Promise<void> {
    const turn = this.#chain.then(() => this.#wait());
    this.#chain = turn.catch(() => undefined);
    return turn;
  }

  /** Records a finished request and, when present, the budget its response announced. */
  release(headers: ResponseHeaders | undefined): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    const remaining = headers ? header(headers, 'ratelimit-remaining') : undefined;
    const reset = headers ? header(headers, 'ratelimit-reset') : undefined;
    if (remaining !== undefined) {
      // Requests still in flight were sent before this answer was computed and may not be in it.
      this.#remaining = Math.max(0, remaining - this.#inFlight);
    }
    if (reset !== undefined) this.#resetAtMs = reset * 1000;
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }

  async #wait(): Promise<void> {
    for (;;) {
      if (this.#remaining === undefined || this.#remaining > 0) {
        if (this.#remaining !== undefined) this.#remaining -= 1;
        this.#inFlight += 1;
        return;
      }
      if (this.#inFlight > 0) {
        await new Promise<void>((resolve) => this.#wakers.push(resolve));
        continue;
      }
      const wait = Math.min(this.maxWaitMs, Math.max(0, this.#resetAtMs - this.now()));
      if (wait > 0) {
        this.log?.(`rate limit: budget spent, waiting ${wait} ms for DigitalOcean's window to free a slot`);
        await this.sleep(wait);
      }
      // A slot has freed (or we waited as long as we are allowed to): probe with one request,
      // whose response tells us the real budget.
      this.#remaining = 1;
    }
  }
}
