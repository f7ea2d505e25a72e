// Progress through the real binary against the REST v3 simulator: plain stage lines off a
// terminal, shown while the work they announce is still under way; a live bar on a terminal;
// nothing with --quiet; and stdout carrying only the result.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V3Simulator } from '../support/v3-simulator.js';
import { HAS_PTY, kafkaform, kafkaformAtTerminal, newTopicsOnSimulator, startKafkaform } from './helpers.js';

const noPty = HAS_PTY ? false : 'python3 with its pty module is not installed: no pseudo-terminal to test with';

/** Manifests declaring `n` topics (`orders.t000`…) on a simulator, which holds none of them. */
function topics(t: { after(fn: () => Promise<void> | void): void }, n: number): Promise<{ sim: V3Simulator; dir: string }> {
  return newTopicsOnSimulator(t, Array.from({ length: n }, (_, i) => `t${String(i).padStart(3, '0')}`));
}

/** Real (not dry-run) topic creates the simulator answered. */
function answeredCreates(sim: V3Simulator): number {
  return sim.requests.filter((r) => r.method === 'POST' && /\/topics$/.test(r.path) && !(r.body as { validate_only?: boolean }).validate_only && r.status !== 0)
    .length;
}

describe('progress off a terminal', () => {
  // Without stage lines the awaited line never comes while the write is held: the timeout turns
  // that into a failure instead of a hang. Passing never depends on it.
  it('a 400-topic apply says what it does before its first write completes', { timeout: 120_000 }, async (t) => {
    const { sim, dir } = await topics(t, 400);
    // The 400 dry runs go through; every real create waits until the test lets them all go (one
    // held create alone would let the other concurrent ones complete).
    sim.inject({ fault: 'hold', method: 'POST', path: /\/topics$/, skip: 400, times: Infinity });
    const run = startKafkaform(['apply', '--auto-approve'], { cwd: dir });
    await Promise.race([
      sim.whenHeld(1),
      run.done.then((r) => Promise.reject(new Error(`kafkaform ended (exit ${r.code}) before its first write:\n${r.stderr}`))),
    ]);
    await run.stderrShows('applying 0/400 topics\n');
    assert.equal(answeredCreates(sim), 0, 'no write has completed yet');
    sim.clearFaults();
    sim.release();
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);

    const lines = r.stderr.split('\n');
    assert.equal(lines.filter((l) => /^\[\d+\/400\] created topic orders\.t\d{3}$/.test(l)).length, 400, 'one line per operation');
    // The stages in order; a count line more or less where a stage took more than 5 s in between.
    const stages = lines.filter((l) => !/^\[\d+\/400\] created topic/.test(l) && !/^(reading cluster sim:|dry-running|applying|verifying:) [^,]*$/.test(l));
    const expected = [
      /^reading cluster sim$/,
      /^reading cluster sim: 4 requests, [\d.]+ KiB, done in [\d.]+ s$/,
      /^dry-running 400\/400 topics, done in [\d.]+ s$/,
      /^applying 400\/400 topics, done in [\d.]+ s$/,
      /^verifying$/,
      /^verifying: 3 requests, [\d.]+ MiB, done in [\d.]+ s$/,
      /^$/,
    ];
    assert.equal(stages.length, expected.length, r.stderr);
    stages.forEach((l, i) => assert.match(l, expected[i]!));
    const counts = lines.filter((l) => /^dry-running \d+\/400 topics$/.test(l));
    for (const n of [0, 40, 80, 120, 160, 200, 240, 280, 320, 360]) assert.ok(counts.includes(`dry-running ${n}/400 topics`), r.stderr);
    assert.ok(lines.indexOf('applying 0/400 topics') < lines.findIndex((l) => l.startsWith('[1/400] ')));
    assert.ok(r.stdout.endsWith('Plan: 400 to create, 0 to update, 0 to delete.\n\nApply complete: 400 created, 0 updated, 0 deleted.\n'));
    assert.ok(!r.stdout.includes('dry-running') && !r.stdout.includes('reading cluster'), 'progress never goes to stdout');
  });

  it('stdout carries only the JSON plan; the stage lines go to stderr', async (t) => {
    const { dir } = await topics(t, 40);
    const r = await kafkaform(['plan', '-o', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { actions: unknown[] }).actions.length, 40);
    assert.match(r.stderr, /^reading cluster sim\nreading cluster sim: 4 requests, [\d.]+ K?i?B, done in [\d.]+ s\n$/);
  });

  for (const command of [['plan'], ['drift'], ['export', '-o', 'snapshot'], ['apply', '--auto-approve']]) {
    it(`${command[0]} --quiet prints no progress`, async (t) => {
      const { dir } = await topics(t, 40);
      const r = await kafkaform([...command, '--quiet'], { cwd: dir });
      assert.equal(r.code, command[0] === 'drift' ? 2 : 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.notEqual(r.stdout, '');
    });
  }
});

describe('progress on a terminal', { skip: noPty }, () => {
  it('is a live bar counting topics, with the stages’ last lines staying; stdout stays clean', async (t) => {
    const { dir } = await topics(t, 40);
    const run = kafkaformAtTerminal(['apply', '--auto-approve'], { cwd: dir, pipeStdout: true });
    const r = await run.done;
    assert.equal(r.code, 0, r.screen);
    // Each operation's line redraws the bar under it, so the bar is on the screen at least then.
    assert.match(r.screen, /applying \[[█░]{24}\] \d+\/40 topics/);
    assert.match(r.screen, /reading cluster sim: 4 requests, [\d.]+ K?i?B, done in [\d.]+ s\r\n/);
    assert.match(r.screen, /dry-running 40\/40 topics, done in [\d.]+ s\r\n/);
    assert.match(r.screen, /\[40\/40\] created topic orders\.t\d{3}\r\n/);
    assert.match(r.screen, /applying 40\/40 topics, done in [\d.]+ s\r\n/);
    assert.ok(!r.stdout.includes('\u001b'), 'no terminal control sequence in stdout');
    assert.ok(r.stdout.endsWith('Apply complete: 40 created, 0 updated, 0 deleted.\n'), r.stdout);
  });

  it('plan -o json: the JSON down the pipe, the progress on the terminal', async (t) => {
    const { dir } = await topics(t, 40);
    const r = await kafkaformAtTerminal(['plan', '-o', 'json'], { cwd: dir, pipeStdout: true }).done;
    assert.equal(r.code, 0, r.screen);
    assert.equal((JSON.parse(r.stdout) as { actions: unknown[] }).actions.length, 40);
    assert.match(r.screen, /reading cluster sim: 4 requests, [\d.]+ K?i?B, done in [\d.]+ s\r\n$/);
  });

  it('--quiet draws nothing', async (t) => {
    const { dir } = await topics(t, 40);
    const r = await kafkaformAtTerminal(['apply', '--auto-approve', '--quiet'], { cwd: dir, pipeStdout: true }).done;
    assert.equal(r.code, 0, r.screen);
    assert.equal(r.screen, '');
    assert.ok(r.stdout.endsWith('Apply complete: 40 created, 0 updated, 0 deleted.\n'), r.stdout);
  });

  it('TERM=dumb gets the plain lines', async (t) => {
    const { dir } = await topics(t, 4);
    const r = await kafkaformAtTerminal(['plan'], { cwd: dir, pipeStdout: true, env: { TERM: 'dumb' } }).done;
    assert.equal(r.code, 0, r.screen);
    assert.match(r.screen, /^reading cluster sim\r\nreading cluster sim: 4 requests, [\d.]+ K?i?B, done in [\d.]+ s\r\n$/);
  });
});
