import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Deadline, sleep, untilAborted } from '../src/deadline.js';
import { formatDuration, parseDuration } from '../src/duration.js';
import { DeadlineError } from '../src/errors.js';

describe('durations', () => {
  it('parses what --timeout takes, and only with a unit', () => {
    assert.deepEqual(
      ['500ms', '90s', '1.5m', '10m', '2h', '30', '10 m', '-1s', 'm', '1d'].map(parseDuration),
      [500, 90_000, 90_000, 600_000, 7_200_000, undefined, undefined, undefined, undefined, undefined],
    );
  });

  it('formats in the largest unit that keeps one decimal at most', () => {
    assert.deepEqual(
      [0, 250, 1000, 1500, 4000, 59_999, 60_000, 90_000, 1_800_000, 3_600_000, 5_400_000].map(formatDuration),
      ['0 ms', '250 ms', '1 s', '1.5 s', '4 s', '60 s', '1 min', '90 s', '30 min', '1 h', '90 min'],
    );
  });
});

describe('Deadline', () => {
  it('aborts its signal with a DeadlineError naming what ran and the budget', async () => {
    const deadline = new Deadline(1, 'cluster prod');
    await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve));
    const reason = deadline.signal.reason as DeadlineError;
    assert.ok(reason instanceof DeadlineError);
    assert.equal(reason.timeoutMs, 1);
    assert.equal(reason.message, "cluster prod did not finish within the command's 1 ms deadline; raise it with --timeout");
  });

  it('does not count time spent waiting for a person, and never fires once disposed', async () => {
    const deadline = new Deadline(5, 'cluster prod');
    await deadline.paused(() => sleep(30));
    assert.equal(deadline.signal.aborted, false, 'the clock stopped during the pause');
    deadline.dispose();
    await sleep(30);
    assert.equal(deadline.signal.aborted, false);
  });

  it('untilAborted and sleep reject with the reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const reason = new DeadlineError(1, 'stop');
    const never = untilAborted(new Promise(() => undefined), controller.signal);
    const sleeping = sleep(60_000, controller.signal);
    controller.abort(reason);
    await assert.rejects(never, (e) => e === reason);
    await assert.rejects(sleeping, (e) => e === reason);
    await assert.rejects(untilAborted(Promise.resolve(1), controller.signal), (e) => e === reason);
    assert.equal(await untilAborted(Promise.resolve(2), undefined), 2);
  });
});
