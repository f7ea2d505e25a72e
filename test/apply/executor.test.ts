import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, InternalError, PlanRefusedError } from '../../src/errors.js';
import type { LiveState, Phase, Plan, PlanAction, TargetCapabilities } from '../../src/model.js';
import { BatchOutcomeError, type PreflightFinding, type Target, type WorkUnit } from '../../src/targets/target.js';
import {
  ApplyInterruptedError,
  ApplyStoppedError,
  executePlan,
  NotConvergedError,
  PreflightRefusedError,
  type ExecuteOptions,
} from '../../src/apply/executor.js';
import { reportError } from '../../src/commands/exit.js';
import { describe as describeStage, silentDisplay, Tracker, type StageState } from '../../src/progress/index.js';

// A test double of the Target interface: it records what the executor asks of it, and each unit
// runs a behaviour chosen by the test.

const CAPS: TargetCapabilities = { dryRun: false, replicationFactorChange: false, principalsMustExist: false, managedConfigPrefixes: [] };
const LIVE: LiveState = { clusterId: 'c1', topics: [], acls: [] };

function topicAction(phase: Phase, name: string): PlanAction {
  const action = phase === 1 ? 'create' : phase === 6 ? 'delete' : 'update';
  return { phase, action, resource: { kind: 'topic', name }, changes: [], patch: [] };
}

function planOf(actions: PlanAction[], errors: Plan['errors'] = []): Plan {
  return {
    formatVersion: 2,
    cluster: { name: 'test', type: 'snapshot' },
    options: { allowDelete: false, maxAclDeletes: 50 },
    desiredDigest: 'sha256:0',
    fingerprint: 'sha256:0',
    summary: { create: 0, update: 0, delete: 0, errors: errors.length },
    actions,
    errors,
    heldBack: [],
    unmanaged: [],
    warnings: [],
  };
}

const EMPTY = planOf([]);

type Behaviour = (action: PlanAction) => Promise<void>;

class FakeTarget implements Target {
  readonly kind = 'snapshot' as const;
  readonly capabilities = CAPS;
  readonly events: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  preflightCalls = 0;

  constructor(
    private readonly behaviour: Behaviour = async () => undefined,
    private readonly findings: (actions: readonly PlanAction[]) => PreflightFinding[] = () => [],
    private readonly grouping: (actions: readonly PlanAction[]) => PlanAction[][] = (actions) => actions.map((a) => [a]),
  ) {}

  async read(): Promise<LiveState> {
    return LIVE;
  }

  async preflight(actions: readonly PlanAction[]): Promise<PreflightFinding[]> {
    this.preflightCalls++;
    return this.findings(actions);
  }

  units(phase: Phase, actions: readonly PlanAction[]): WorkUnit[] {
    this.events.push(`units ${phase}`);
    return this.grouping(actions).map((group) => {
      const label = `${group[0]!.action} topic ${group.map((a) => (a.resource.kind === 'topic' ? a.resource.name : '?')).join('+')}`;
      return {
        label,
        actions: group,
        run: async () => {
          this.events.push(`start ${label}`);
          this.inFlight++;
          this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
          try {
            for (const a of group) await this.behaviour(a);
          } finally {
            this.inFlight--;
          }
          this.events.push(`end ${label}`);
        },
      };
    });
  }

  async close(): Promise<void> {
    this.events.push('close');
  }
}

async function ticks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

function options(extra: Partial<ExecuteOptions> = {}): ExecuteOptions & { lines: string[]; replans: number } {
  const state = { lines: [] as string[], replans: 0 };
  const display = silentDisplay((text) => state.lines.push(text.replace(/\n$/, '')));
  return Object.assign(state, {
    progress: new Tracker(display),
    replan: async () => {
      state.replans++;
      return EMPTY;
    },
    ...extra,
  });
}

describe('executor', () => {
  it('runs phases strictly in order and reports progress with a counter', async () => {
    const plan = planOf([
      topicAction(1, 'a'),
      topicAction(1, 'b'),
      topicAction(3, 'c'),
      topicAction(6, 'd'),
    ]);
    const target = new FakeTarget(() => ticks(3));
    const opts = options();
    const report = await executePlan(plan, target, LIVE, opts);

    const starts = target.events.filter((e) => e.startsWith('start') || e.startsWith('end'));
    const lastEndPhase1 = Math.max(starts.indexOf('end create topic a'), starts.indexOf('end create topic b'));
    assert.ok(lastEndPhase1 < starts.indexOf('start update topic c'), starts.join(', '));
    assert.ok(starts.indexOf('end update topic c') < starts.indexOf('start delete topic d'), starts.join(', '));
    assert.deepEqual(
      report.done.map((u) => u.label),
      ['create topic a', 'create topic b', 'update topic c', 'delete topic d'],
    );
    assert.equal(report.failed.length, 0);
    assert.equal(report.notAttempted.length, 0);
    assert.equal(opts.lines.length, 4);
    assert.deepEqual(
      opts.lines.map((l) => l.slice(0, 6)),
      ['[1/4] ', '[2/4] ', '[3/4] ', '[4/4] '],
    );
    assert.ok(opts.lines.includes('[4/4] deleted topic d'), opts.lines.join('\n'));
    assert.equal(opts.replans, 1);
    assert.equal(target.preflightCalls, 1);
  });

  it('never runs more units at once than the concurrency allows, and uses that many', async () => {
    const actions = Array.from({ length: 10 }, (_, i) => topicAction(1, `t${String(i).padStart(2, '0')}`));
    const target = new FakeTarget(() => ticks(5));
    await executePlan(planOf(actions), target, LIVE, options({ concurrency: 3 }));
    assert.equal(target.maxInFlight, 3);

    const serial = new FakeTarget(() => ticks(5));
    await executePlan(planOf(actions), serial, LIVE, options({ concurrency: 1 }));
    assert.equal(serial.maxInFlight, 1);
  });

  it('defaults to 8 units at once', async () => {
    const actions = Array.from({ length: 20 }, (_, i) => topicAction(1, `t${String(i).padStart(2, '0')}`));
    const target = new FakeTarget(() => ticks(5));
    await executePlan(planOf(actions), target, LIVE, options());
    assert.equal(target.maxInFlight, 8);
  });

  it('on a failure starts nothing new, lets in-flight units finish, and reports all three lists', async () => {
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const plan = planOf([
      topicAction(1, 'a-slow'),
      topicAction(1, 'b-fails'),
      topicAction(1, 'c'),
      topicAction(1, 'd'),
      topicAction(3, 'e'),
      topicAction(6, 'f'),
    ]);
    const target = new FakeTarget(async (action) => {
      const name = action.resource.kind === 'topic' ? action.resource.name : '';
      if (name === 'a-slow') await slowGate;
      if (name === 'b-fails') {
        // The slow unit is still running when this one fails; it must be allowed to finish.
        releaseSlow();
        throw new ApiError('not authorized to create topic b-fails', {
          method: 'POST',
          url: 'https://example.test/kafka/v3/clusters/c1/topics',
          status: 403,
          errorCode: 40301,
          serverMessage: 'Request is not authorized',
        });
      }
    });
    const opts = options({ concurrency: 2 });
    const error = await executePlan(plan, target, LIVE, opts).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApplyStoppedError);
    assert.deepEqual(error.report.done.map((u) => u.label), ['create topic a-slow']);
    assert.deepEqual(error.report.failed.map((u) => u.label), ['create topic b-fails']);
    assert.deepEqual(error.report.notAttempted.map((u) => u.label), [
      'create topic c',
      'create topic d',
      'update topic e',
      'delete topic f',
    ]);
    assert.ok(!target.events.some((e) => e === 'start create topic c'), 'nothing new starts after the failure');
    assert.equal(opts.replans, 0);

    const stderr: string[] = [];
    const code = reportError(error, { stderr: (s) => stderr.push(s), debug: false, color: false });
    assert.equal(code, 1);
    const text = stderr.join('');
    assert.match(text, /^error: apply stopped after a failure: 1 done, 1 failed, 4 not attempted; running apply again continues from here$/m);
    assert.match(text, /^Done \(1\):\n {2}create topic a-slow$/m);
    assert.match(
      text,
      /^ {2}create topic b-fails: not authorized to create topic b-fails \(HTTP 403, error_code 40301, server: "Request is not authorized"\)$/m,
    );
    assert.match(text, /^Not attempted \(4\):\n {2}create topic c\n {2}create topic d\n {2}update topic e\n {2}delete topic f$/m);
    assert.doesNotMatch(text, /at .*executor/, 'no stack trace without --debug');
  });

  it('when stopped, starts nothing new, lets running units finish, skips the replan and reports (exit 130)', async () => {
    const stop = new AbortController();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const plan = planOf([topicAction(1, 'a'), topicAction(1, 'b'), topicAction(1, 'c'), topicAction(6, 'd')]);
    const target = new FakeTarget(async () => gate);
    const opts = options({ concurrency: 2, stop: stop.signal });
    const running = executePlan(plan, target, LIVE, opts);
    while (target.inFlight < 2) await ticks(1);
    stop.abort();
    release();
    const error = await running.then(
      () => assert.fail('expected an interruption'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApplyInterruptedError);
    assert.deepEqual(error.report.done.map((u) => u.label), ['create topic a', 'create topic b']);
    assert.deepEqual(error.report.notAttempted.map((u) => u.label), ['create topic c', 'delete topic d']);
    assert.equal(opts.replans, 0);
    const stderr: string[] = [];
    assert.equal(reportError(error, { stderr: (s) => stderr.push(s), debug: false, color: false }), 130);
    assert.equal(
      stderr.join(''),
      'Apply interrupted: 2 done, 0 failed, 2 not attempted; running apply again continues from here.\nDone (2):\n  create topic a\n  create topic b\nNot attempted (2):\n  create topic c\n  delete topic d\n',
    );
  });

  it('stopped before the first unit, it changes nothing and says so', async () => {
    const stop = new AbortController();
    stop.abort();
    const target = new FakeTarget();
    const error = await executePlan(planOf([topicAction(1, 'a')]), target, LIVE, options({ stop: stop.signal })).catch((e: unknown) => e);
    assert.ok(error instanceof ApplyInterruptedError);
    assert.equal(error.message, 'Interrupted before the first change; nothing was changed.');
    assert.ok(!target.events.some((e) => e.startsWith('start')));
  });

  it('refuses a plan with errors before asking the target anything', async () => {
    const target = new FakeTarget();
    const plan = planOf([topicAction(1, 'a')], [{ resource: { kind: 'topic', name: 'a' }, reason: 'partitions cannot decrease' }]);
    await assert.rejects(executePlan(plan, target, LIVE, options()), PlanRefusedError);
    assert.equal(target.preflightCalls, 0);
    assert.deepEqual(target.events, []);
  });

  it('changes nothing when preflight finds problems, and reports every finding', async () => {
    const target = new FakeTarget(undefined, (actions) => actions.map((action) => ({ action, message: 'rejected by dry run' })));
    const plan = planOf([topicAction(1, 'a'), topicAction(3, 'b')]);
    const error = await executePlan(plan, target, LIVE, options()).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PreflightRefusedError);
    assert.equal(error.findings.length, 2);
    assert.ok(!target.events.some((e) => e.startsWith('start')));
    const stderr: string[] = [];
    reportError(error, { stderr: (s) => stderr.push(s), debug: false, color: false });
    assert.equal(
      stderr.join(''),
      'error: preflight found 2 problem(s); nothing was changed\n  create topic a: rejected by dry run\n  update topic b: rejected by dry run\n',
    );
  });

  it('fails when the replan after the last phase is not empty, naming what differs', async () => {
    const target = new FakeTarget();
    const remaining = planOf([topicAction(3, 'a')]);
    const error = await executePlan(planOf([topicAction(1, 'a')]), target, LIVE, options({ replan: async () => remaining })).then(
      () => assert.fail('expected non-convergence'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof NotConvergedError);
    const stderr: string[] = [];
    reportError(error, { stderr: (s) => stderr.push(s), debug: false, color: false });
    assert.match(stderr.join(''), /still differs from the manifests: 1 action\(s\) and 0 error\(s\) remain\n {2}still to update topic a\n$/);
  });

  it('runs multi-action units once and counts their actions', async () => {
    const plan = planOf([topicAction(4, 'a'), topicAction(4, 'b'), topicAction(4, 'c')]);
    const target = new FakeTarget(undefined, undefined, (actions) => [[...actions]]);
    const opts = options();
    const report = await executePlan(plan, target, LIVE, opts);
    assert.equal(report.done.length, 1);
    assert.deepEqual(opts.lines, ['[3/3] updated topic a+b+c']);
  });

  it('reports each action of a batch on its own when the batch answers per item', async () => {
    const plan = planOf([topicAction(1, 'a'), topicAction(1, 'b'), topicAction(1, 'c'), topicAction(3, 'd')]);
    const rejected = new ApiError('Cannot create topic b', { method: 'CreateTopics', url: '', errorCode: 40, serverMessage: 'Unknown topic config name: x' });
    const target = new FakeTarget(undefined, undefined, (actions) => [[...actions]]);
    target.units = (phase, actions) => [
      {
        label: `batch of ${phase}`,
        actions: [...actions],
        run: async () => {
          const [a, b, c] = actions as PlanAction[];
          throw new BatchOutcomeError([a!], [{ action: b!, error: rejected }], [c!]);
        },
      },
    ];
    const error = await executePlan(plan, target, LIVE, options()).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApplyStoppedError);
    assert.deepEqual(error.report.done.map((u) => u.label), ['create topic a']);
    assert.deepEqual(error.report.failed.map((u) => [u.label, u.error]), [['create topic b', rejected]]);
    assert.deepEqual(error.report.notAttempted.map((u) => u.label), ['create topic c', 'batch of 3']);
  });

  it('refuses a target that drops or repeats an action, before changing anything', async () => {
    const plan = planOf([topicAction(1, 'a'), topicAction(1, 'b')]);
    const dropping = new FakeTarget(undefined, undefined, (actions) => [[actions[0]!]]);
    await assert.rejects(executePlan(plan, dropping, LIVE, options()), InternalError);
    assert.equal(dropping.preflightCalls, 0);
    const repeating = new FakeTarget(undefined, undefined, (actions) => [[...actions], [actions[0]!]]);
    await assert.rejects(executePlan(plan, repeating, LIVE, options()), InternalError);
  });

  it('reports its stages: checking the plan, applying with a count of actions, verifying', async () => {
    const seen: string[] = [];
    const display = {
      update: (st: StageState) => seen.push(`update ${describeStage(st)}`),
      ended: (st: StageState) => seen.push(`ended ${describeStage(st)}`),
      print: (text: string) => seen.push(text.trimEnd()),
      close: () => undefined,
    };
    const plan = planOf([topicAction(1, 'a'), topicAction(3, 'b'), topicAction(3, 'c')]);
    await executePlan(plan, new FakeTarget(), LIVE, options({ progress: new Tracker(display) }));
    assert.deepEqual(seen, [
      'update checking the plan',
      'ended checking the plan',
      'update applying 0/3 topics',
      '[1/3] created topic a',
      'update applying 1/3 topics',
      '[2/3] updated topic b',
      'update applying 2/3 topics',
      '[3/3] updated topic c',
      'update applying 3/3 topics',
      'ended applying 3/3 topics',
      'update verifying',
      'ended verifying',
    ]);
  });

  it('leaves applying without an end when a unit fails: the failure is what is reported', async () => {
    const seen: string[] = [];
    const display = { update: () => undefined, ended: (st: StageState) => seen.push(st.label), print: () => undefined, close: () => undefined };
    const target = new FakeTarget(async () => {
      throw new ApiError('boom', { method: 'POST', url: 'x' });
    });
    await assert.rejects(executePlan(planOf([topicAction(1, 'a'), topicAction(4, 'acl')]), target, LIVE, options({ progress: new Tracker(display) })));
    assert.deepEqual(seen, ['checking the plan']);
  });

  it('escapes control characters in unit labels before they reach a terminal', async () => {
    const target = new FakeTarget();
    const opts = options();
    await executePlan(planOf([topicAction(1, 'evil\u001b[31m')]), target, LIVE, opts);
    assert.equal(opts.lines.length, 1);
    assert.ok(!opts.lines[0]!.includes('\u001b'), opts.lines[0]);
    assert.match(opts.lines[0]!, /evil\\x1b\[31m/);
  });
});
