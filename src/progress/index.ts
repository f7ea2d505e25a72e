/**
 * Progress of long work, for a person watching: the stage a command is in (reading the cluster,
 * dry-running, applying, verifying), how far it got, in resources or in requests and bytes, and
 * what it is waiting for. Targets and the executor report into a `Progress`; a `ProgressDisplay`
 * shows it (plain lines here, the CLI's live bar on a terminal). Nothing of it goes to stdout.
 */

/** A word in its two numbers: `['topic', 'topics']`. */
export type Noun = readonly [one: string, many: string];

/** `1 topic`, `12 topics`. */
export function count(n: number, noun: Noun): string {
  return `${n} ${n === 1 ? noun[0] : noun[1]}`;
}

/** What a stage counts when it knows how much it has to do. */
export interface StageTotal {
  total: number;
  unit: Noun;
}

/**
 * Where long work reports how it goes. Stages follow one another; `stage` ends the one before.
 * Requests and bytes count towards the stage in progress (and are shown for stages without a
 * total). Every method is cheap and never throws.
 */
export interface Progress {
  /** Begins a stage: `label` says what is done (`reading cluster prod`, `dry-running`). */
  stage(label: string, total?: StageTotal): void;
  /** `n` more of the stage's total are done. */
  advance(n: number): void;
  /** A request went out. */
  sent(): void;
  /** `bytes` of an answer arrived. */
  received(bytes: number): void;
  /** `change` more (or, negative, fewer) `what` are waited for, e.g. `['new topic', 'new topics']`. */
  waiting(what: Noun, change: number): void;
  /** Ends the stage in progress, if any. */
  end(): void;
  /** A line that stays, such as apply's `[3/12] created topic x`; none when quiet. */
  line(text: string): void;
}

/** What counts a client's traffic: requests sent and bytes received. */
export type Meter = Pick<Progress, 'sent' | 'received'>;

/** A stage as displays see it. */
export interface StageState {
  label: string;
  total?: StageTotal;
  done: number;
  requests: number;
  bytes: number;
  /** What is waited for, with how many: only entries above zero, in the order they began. */
  waits: ReadonlyArray<{ what: Noun; count: number }>;
  /** When the stage began, by the tracker's clock (ms). */
  startedAt: number;
}

/** Shows progress. */
export interface ProgressDisplay {
  /** The stage changed (began, advanced, counted a request or a wait); `now` by the tracker's clock. */
  update(stage: StageState, now: number): void;
  /** The stage ended. */
  ended(stage: StageState, now: number): void;
  /** Text that stays (lines end in `\n`), written above a live bar. */
  print(text: string): void;
  /** Takes the display down; nothing is drawn after. */
  close(): void;
}

/** A stage worth showing: it knows its size, or it talks to the cluster, or it waits. Reading a local file is none. */
export function visible(stage: StageState): boolean {
  return (stage.total !== undefined && stage.total.total > 0) || stage.requests > 0 || stage.waits.length > 0;
}

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** `512 B`, `1.3 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ${UNITS[unit]}`;
}

/**
 * The stage in words, as lines and the bar show it: `applying 120/400 topics`,
 * `reading cluster prod: 12 requests, 1.3 MiB`, each followed by what it waits for. `traffic`
 * false leaves requests and bytes out (a stage's first line, before they mean anything).
 */
export function describe(stage: StageState, traffic = true): string {
  const parts: string[] = [];
  let head = stage.label;
  if (stage.total !== undefined) head += ` ${stage.done}/${stage.total.total} ${stage.total.unit[stage.total.total === 1 ? 0 : 1]}`;
  else if (traffic && stage.requests > 0) {
    parts.push(count(stage.requests, ['request', 'requests']));
    if (stage.bytes > 0) parts.push(formatBytes(stage.bytes));
  }
  const waits = stage.waits.map((w) => `waiting for ${count(w.count, w.what)}`);
  const tail = [...parts, ...waits].join(', ');
  return tail === '' ? head : `${head}${stage.total === undefined && parts.length > 0 ? ':' : ','} ${tail}`;
}

/** Keeps the state of the stage in progress and tells a display of every change. */
export class Tracker implements Progress {
  #stage: (StageState & { waits: Array<{ what: Noun; count: number }> }) | undefined;
  readonly #display: ProgressDisplay;
  readonly #now: () => number;
  readonly #quiet: boolean;

  /** `quiet` drops the lasting `line`s too; the clock is injectable for tests. */
  constructor(display: ProgressDisplay, options: { quiet?: boolean; now?: () => number } = {}) {
    this.#display = display;
    this.#quiet = options.quiet === true;
    this.#now = options.now ?? Date.now;
  }

  stage(label: string, total?: StageTotal): void {
    this.end();
    this.#stage = { label, ...(total !== undefined ? { total } : {}), done: 0, requests: 0, bytes: 0, waits: [], startedAt: this.#now() };
    this.#changed();
  }

  advance(n: number): void {
    if (this.#stage === undefined || n === 0) return;
    this.#stage.done += n;
    this.#changed();
  }

  sent(): void {
    if (this.#stage === undefined) return;
    this.#stage.requests++;
    this.#changed();
  }

  received(bytes: number): void {
    if (this.#stage === undefined || bytes === 0) return;
    this.#stage.bytes += bytes;
    this.#changed();
  }

  waiting(what: Noun, change: number): void {
    const stage = this.#stage;
    if (stage === undefined || change === 0) return;
    const at = stage.waits.findIndex((w) => w.what[1] === what[1]);
    const now = (at < 0 ? 0 : stage.waits[at]!.count) + change;
    if (at >= 0 && now <= 0) stage.waits.splice(at, 1);
    else if (at >= 0) stage.waits[at]!.count = now;
    else if (now > 0) stage.waits.push({ what, count: now });
    this.#changed();
  }

  end(): void {
    const stage = this.#stage;
    if (stage === undefined) return;
    this.#stage = undefined;
    this.#display.ended(stage, this.#now());
  }

  line(text: string): void {
    if (!this.#quiet) this.#display.print(`${text}\n`);
  }

  /**
   * Takes the display down. A stage still in progress was cut short by a failure, which is
   * reported next: it ends without a line of its own.
   */
  close(): void {
    this.#stage = undefined;
    this.#display.close();
  }

  #changed(): void {
    if (this.#stage !== undefined) this.#display.update(this.#stage, this.#now());
  }
}

/**
 * Follows `count` things being waited for: `left(n)` as they arrive, `done()` when the wait is
 * over (also when it gave up or failed), which takes what is left off the display.
 */
export function waitFor(progress: Progress | undefined, what: Noun, count: number): { left(n: number): void; done(): void } {
  let current = Math.max(0, count);
  progress?.waiting(what, current);
  return {
    left(n) {
      const next = Math.max(0, n);
      progress?.waiting(what, next - current);
      current = next;
    },
    done() {
      progress?.waiting(what, -current);
      current = 0;
    },
  };
}

/** Shows nothing; `print` writes through. For `--quiet`. */
export function silentDisplay(write: (text: string) => void): ProgressDisplay {
  return { update: () => undefined, ended: () => undefined, print: write, close: () => undefined };
}

/** Default pause between two plain lines of the same stage while it advances. */
export const LINE_INTERVAL_MS = 5_000;

/**
 * Plain lines, for logs and pipes: one when a stage starts doing something visible, one when it
 * waits for something new, one when it ends, and in between one each time it crosses a tenth of
 * its total or `everyMs` after the last, unless other lines (apply's per-operation lines) showed
 * it moving meanwhile. Lines come only as things change, never from a timer, and the tracker's
 * clock decides, so tests drive it without waiting.
 */
export function lineDisplay(write: (text: string) => void, everyMs = LINE_INTERVAL_MS): ProgressDisplay {
  let shown: StageState | undefined;
  let lastAt = 0;
  let lastTenth = 0;
  let waits = new Set<string>();
  let printed = false;
  const tenth = (s: StageState): number => (s.total === undefined || s.total.total === 0 ? 0 : Math.floor((10 * s.done) / s.total.total));
  const seen = (now: number, s: StageState): void => {
    lastAt = now;
    lastTenth = tenth(s);
    waits = new Set(s.waits.map((w) => w.what[1]));
    printed = false;
  };
  return {
    update(stage, now) {
      if (shown !== stage) {
        if (!visible(stage)) return;
        shown = stage;
        write(`${describe(stage, false)}\n`);
        seen(now, stage);
        return;
      }
      const newWait = stage.waits.some((w) => !waits.has(w.what[1]));
      const finished = stage.total !== undefined && stage.done >= stage.total.total;
      const due = !finished && (tenth(stage) > lastTenth || now - lastAt >= everyMs);
      if (newWait || (due && !printed)) write(`${describe(stage)}\n`);
      if (newWait || due) seen(now, stage);
      else waits = new Set(stage.waits.map((w) => w.what[1]));
    },
    ended(stage, now) {
      if (shown !== stage) return;
      shown = undefined;
      write(`${finalLine(stage, now)}\n`);
    },
    print(text) {
      printed = true;
      write(text);
    },
    close: () => undefined,
  };
}

/** The line a stage ends with: `reading cluster prod: 12 requests, 1.3 MiB, done in 0.8 s`. */
export function finalLine(stage: StageState, now: number): string {
  const text = describe(stage);
  return `${text}${text === stage.label ? ':' : ','} done in ${seconds(now - stage.startedAt)}`;
}

/** `0.4 s`, `12 s`, `3 min 5 s`. */
export function seconds(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}
