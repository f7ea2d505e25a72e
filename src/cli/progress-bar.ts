/**
 * Progress on a terminal: one live line at the bottom of stderr, drawn by cli-progress (redrawn
 * in place at most ten times a second, cut to the terminal's width, with an estimate of the time
 * left from the recent pace), and above it the lines that stay: each stage's final line, apply's
 * per-operation lines, warnings.
 */
import cliProgress from 'cli-progress';
import { describe, finalLine, visible, type ProgressDisplay, type StageState } from '../progress/index.js';

/** What the formatter draws from. */
interface Payload {
  stage: StageState;
}

/** ` · ~12 s left`, ` · ~3 min left`; nothing while the pace is unknown. */
function estimate(eta: unknown): string {
  if (typeof eta !== 'number' || !Number.isFinite(eta)) return '';
  return eta < 60 ? ` · ~${Math.max(1, eta)} s left` : ` · ~${Math.round(eta / 60)} min left`;
}

/** The live line: `label [████░░░░] 120/400 topics · ~8 s left`, or `label: 12 requests, 1.3 MiB`. */
const format: cliProgress.GenericFormatter = (options, params, payload: Payload) => {
  const stage = payload.stage;
  const text = describe(stage);
  if (stage.total === undefined) return text;
  const bar = cliProgress.Format.BarFormat(params.progress, options);
  return `${stage.label} [${bar}]${text.slice(stage.label.length)}${stage.done > 0 ? estimate(params.eta) : ''}`;
};

/**
 * The live bar on `stream` (a terminal). A stage shows once it does something visible (as the
 * plain lines do, `visible`); when it ends, the bar goes and the stage's final line stays.
 */
export function progressBar(stream: NodeJS.WriteStream): ProgressDisplay {
  let live: { stage: StageState; bars: cliProgress.MultiBar; bar: cliProgress.SingleBar; done: number } | undefined;
  const takeDown = (): void => {
    live?.bars.stop();
    live = undefined;
  };
  return {
    update(stage) {
      if (live?.stage !== stage) {
        if (!visible(stage)) return;
        takeDown();
        const bars = new cliProgress.MultiBar({
          stream,
          format,
          barsize: 24,
          barCompleteChar: '\u2588',
          barIncompleteChar: '\u2591',
          clearOnComplete: true,
          // Cut to the terminal's width rather than turning its line wrapping off, which a second
          // interrupt (exit at once) would leave off.
          linewrap: true,
          etaBuffer: 40,
        });
        live = { stage, bars, bar: bars.create(stage.total?.total ?? 0, stage.done, { stage }), done: stage.done };
        return;
      }
      // The value only when it moves: the estimate is the pace of the recent values.
      if (stage.done !== live.done) live.bar.update(stage.done, { stage });
      else live.bar.update({ stage });
      live.done = stage.done;
    },
    ended(stage, now) {
      if (live?.stage !== stage) return;
      takeDown();
      stream.write(`${finalLine(stage, now)}\n`);
    },
    print(text) {
      if (live === undefined) {
        stream.write(text);
        return;
      }
      live.bars.log(text);
      live.bars.update();
    },
    close: takeDown,
  };
}
