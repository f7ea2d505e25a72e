// The progress tracker and its plain-line display, fed events on a clock the test moves, and the
// terminal bar fed the same events on a stream that records what it was sent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describe as describeStage, formatBytes, lineDisplay, silentDisplay, Tracker, waitFor } from '../../src/progress/index.js';
import { progressBar } from '../../src/cli/progress-bar.js';

/** A tracker on plain lines, with a clock at `clock.now` ms. */
function lines(everyMs?: number): { tracker: Tracker; out: string[]; clock: { now: number } } {
  const out: string[] = [];
  const clock = { now: 0 };
  const display = lineDisplay((text) => out.push(...text.split('\n').slice(0, -1)), everyMs);
  return { tracker: new Tracker(display, { now: () => clock.now }), out, clock };
}

describe('plain progress lines', () => {
  it('a stage that neither counts nor talks to the cluster shows nothing (reading a snapshot file)', () => {
    const { tracker, out, clock } = lines();
    tracker.stage('reading cluster local');
    clock.now = 20;
    tracker.end();
    assert.deepEqual(out, []);
  });

  it('reading: a line at the first request, then as things change at most every 5 s, and a last line with the totals', () => {
    const { tracker, out, clock } = lines();
    tracker.stage('reading cluster prod');
    tracker.sent();
    tracker.received(700);
    clock.now = 4_999;
    tracker.sent();
    tracker.received(1_400_000);
    clock.now = 5_000;
    tracker.received(1);
    clock.now = 9_000;
    tracker.sent();
    clock.now = 12_000;
    tracker.end();
    assert.deepEqual(out, [
      'reading cluster prod',
      'reading cluster prod: 2 requests, 1.3 MiB',
      'reading cluster prod: 3 requests, 1.3 MiB, done in 12 s',
    ]);
  });

  it('the interval is the caller’s', () => {
    const { tracker, out, clock } = lines(1_000);
    tracker.stage('verifying');
    tracker.sent();
    clock.now = 1_000;
    tracker.sent();
    assert.deepEqual(out, ['verifying', 'verifying: 2 requests']);
  });

  it('a counted stage: its first line, one at each tenth (none at the end, which the last line says), and the last', () => {
    const { tracker, out, clock } = lines();
    tracker.stage('dry-running', { total: 400, unit: ['topic', 'topics'] });
    for (let i = 0; i < 400; i++) tracker.advance(1);
    clock.now = 1_950;
    tracker.end();
    assert.deepEqual(out, [
      'dry-running 0/400 topics',
      ...[40, 80, 120, 160, 200, 240, 280, 320, 360].map((n) => `dry-running ${n}/400 topics`),
      'dry-running 400/400 topics, done in 2 s',
    ]);
  });

  it('lines that stay (apply’s per-operation lines) stand in for the count lines', () => {
    const { tracker, out } = lines();
    tracker.stage('applying', { total: 4, unit: ['topic', 'topics'] });
    for (let i = 1; i <= 4; i++) {
      tracker.line(`[${i}/4] created topic t${i}`);
      tracker.advance(1);
    }
    tracker.end();
    assert.deepEqual(out, [
      'applying 0/4 topics',
      '[1/4] created topic t1',
      '[2/4] created topic t2',
      '[3/4] created topic t3',
      '[4/4] created topic t4',
      'applying 4/4 topics, done in 0 s',
    ]);
  });

  it('a line when something new is waited for, with how many, in one number or the other', () => {
    const { tracker, out } = lines();
    tracker.stage('applying', { total: 12, unit: ['topic', 'topics'] });
    tracker.advance(12);
    const topics = waitFor(tracker, ['new topic', 'new topics'], 12);
    topics.left(1);
    const partitions = waitFor(tracker, ['partition to move', 'partitions to move'], 1);
    topics.done();
    partitions.done();
    tracker.end();
    assert.deepEqual(out, [
      'applying 0/12 topics',
      'applying 12/12 topics, waiting for 12 new topics',
      'applying 12/12 topics, waiting for 1 new topic, waiting for 1 partition to move',
      'applying 12/12 topics, done in 0 s',
    ]);
  });

  it('a stage cut short by a failure ends without a line; the error that follows says what happened', () => {
    const { tracker, out } = lines();
    tracker.stage('reading cluster prod');
    tracker.sent();
    tracker.close();
    assert.deepEqual(out, ['reading cluster prod']);
  });

  it('quiet: no stage and no per-operation line, while other text still gets through', () => {
    const out: string[] = [];
    const display = silentDisplay((text) => out.push(text));
    const tracker = new Tracker(display, { quiet: true });
    tracker.stage('applying', { total: 1, unit: ['topic', 'topics'] });
    tracker.sent();
    tracker.line('[1/1] created topic t');
    tracker.advance(1);
    display.print('warning: something\n');
    tracker.close();
    assert.deepEqual(out, ['warning: something\n']);
  });
});

describe('progress in words', () => {
  it('sizes in binary units', () => {
    assert.deepEqual([0, 1023, 1024, 1536, 1_363_149, 150 * 1024 * 1024, 3 * 1024 ** 4].map(formatBytes), [
      '0 B',
      '1023 B',
      '1 KiB',
      '1.5 KiB',
      '1.3 MiB',
      '150 MiB',
      '3 TiB',
    ]);
  });

  it('a stage: its count, else its traffic, then its waits', () => {
    const base = { label: 'applying', done: 1, requests: 3, bytes: 2048, waits: [], startedAt: 0 };
    assert.equal(describeStage({ ...base, total: { total: 1, unit: ['ACL binding', 'ACL bindings'] } }), 'applying 1/1 ACL binding');
    assert.equal(describeStage(base), 'applying: 3 requests, 2 KiB');
    assert.equal(describeStage(base, false), 'applying');
    assert.equal(describeStage({ ...base, requests: 0, waits: [{ what: ['new topic', 'new topics'], count: 2 }] }), 'applying, waiting for 2 new topics');
  });
});

/** A terminal that records what it is sent. */
function terminal(): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY: true, columns: 100, text: '', write: (s: string) => ((stream.text += s), true) };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('the bar on a terminal', () => {
  it('draws a visible stage as a bar with its count, writes lines above it, and leaves each stage’s last line', () => {
    const stream = terminal();
    const display = progressBar(stream);
    const clock = { now: 0 };
    const tracker = new Tracker(display, { now: () => clock.now });
    tracker.stage('reading cluster local');
    tracker.end();
    assert.equal(stream.text, '', 'nothing for a stage with nothing to show');

    tracker.stage('applying', { total: 4, unit: ['topic', 'topics'] });
    tracker.line('[1/4] created topic t1');
    tracker.advance(1);
    // A line that stays redraws at once: the line, then the bar under it.
    assert.match(stream.text, /\[1\/4\] created topic t1\n.*applying \[█{0,6}░{18,24}\] 0\/4 topics/s);
    tracker.line('[2/4] created topic t2');
    assert.match(stream.text, /applying \[█{6}░{18}\] 1\/4 topics/);
    clock.now = 1_500;
    tracker.end();
    assert.ok(stream.text.endsWith('applying 1/4 topics, done in 1.5 s\n'), JSON.stringify(stream.text));
    tracker.close();
  });

  it('shows a stage without a total by its requests and bytes', () => {
    const stream = terminal();
    const display = progressBar(stream);
    const tracker = new Tracker(display);
    tracker.stage('reading cluster prod');
    tracker.sent();
    tracker.received(3 * 1024);
    display.print('warning: a notice\n');
    assert.match(stream.text, /warning: a notice\n.*reading cluster prod: 1 request, 3 KiB/s);
    tracker.close();
    assert.ok(!stream.text.includes('done in'), 'a stage cut short has no last line');
  });
});
