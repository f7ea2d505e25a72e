/**
 * The executor shared by every target: it carries out a plan's actions exactly as planned, phase by
 * phase, and never recomputes them. Targets only say how actions become requests (`units`).
 */
import { ApplyError, InternalError, PlanRefusedError } from '../errors.js';
import { PHASES, type LiveState, type Phase, type Plan, type PlanAction } from '../model.js';
import { BatchOutcomeError, type PreflightFinding, type Target, type WorkUnit } from '../targets/target.js';
import { safe } from '../render/escape.js';
import type { Noun, Progress } from '../progress/index.js';
import { describeAction, pastTense } from './labels.js';

/** Units run at once inside a phase when no `concurrency` is given. */
export const DEFAULT_CONCURRENCY = 8;

/** How to execute a plan. */
export interface ExecuteOptions {
  /** Units running at once inside a phase (at least 1). */
  concurrency?: number;
  /**
   * Receives the stages (checking the plan, applying, verifying), the count of actions done, and
   * one line per finished unit (`[3/12] created topic x`, counting actions).
   */
  progress?: Progress;
  /**
   * Aborted when the user interrupts: no unit starts after that, the running ones finish, and
   * apply stops with `ApplyInterruptedError` instead of checking the result.
   */
  stop?: AbortSignal;
  /**
   * Reads the live state again after the last phase and plans against it; apply has converged
   * when that plan has no actions and no errors.
   */
  replan: () => Promise<Plan>;
}

/** A unit of work as reported after apply. */
export interface UnitReport {
  label: string;
  actions: PlanAction[];
}

/** A unit that failed, with the error it failed with. */
export interface UnitFailure extends UnitReport {
  error: unknown;
}

/** What apply did: every unit of the plan is in exactly one list, each list in plan order. */
export interface ApplyReport {
  done: UnitReport[];
  failed: UnitFailure[];
  notAttempted: UnitReport[];
}

/** Preflight found problems; nothing was changed. */
export class PreflightRefusedError extends PlanRefusedError {
  constructor(readonly findings: PreflightFinding[]) {
    super(`preflight found ${findings.length} problem(s); nothing was changed`);
  }
}

/** A unit failed: apply started nothing new after it and let what was running finish. */
export class ApplyStoppedError extends ApplyError {
  constructor(readonly report: ApplyReport) {
    super(
      `apply stopped after a failure: ${report.done.length} done, ${report.failed.length} failed, ${report.notAttempted.length} not attempted`,
    );
  }
}

/** The user interrupted apply: nothing started after that, and what was running finished. */
export class ApplyInterruptedError extends ApplyError {
  override readonly exitCode = 130;
  constructor(readonly report: ApplyReport) {
    super(
      report.done.length + report.failed.length === 0
        ? 'Interrupted before the first change; nothing was changed.'
        : `Apply interrupted: ${report.done.length} done, ${report.failed.length} failed, ${report.notAttempted.length} not attempted; running apply again continues from here.`,
    );
  }
}

/** Every unit succeeded, yet planning again against the cluster still finds differences. */
export class NotConvergedError extends ApplyError {
  constructor(
    readonly report: ApplyReport,
    readonly remaining: Plan,
  ) {
    super(
      `apply finished but the cluster still differs from the manifests: ${remaining.actions.length} action(s) and ${remaining.errors.length} error(s) remain`,
    );
  }
}

interface IndexedUnit {
  index: number;
  unit: WorkUnit;
}

/**
 * Executes `plan` on `target`, whose live state `live` the plan was computed from. Throws
 * `PlanRefusedError` for a plan with errors, `PreflightRefusedError` when preflight finds anything
 * (nothing changed), `ApplyStoppedError` after a failed unit, `NotConvergedError` when the replan
 * is not empty, `ApplyInterruptedError` when `stop` aborted. Resolves with the report when the
 * cluster has converged.
 */
export async function executePlan(
  plan: Plan,
  target: Target,
  live: LiveState,
  options: ExecuteOptions,
): Promise<ApplyReport> {
  if (plan.errors.length > 0) {
    throw new PlanRefusedError(`the plan has ${plan.errors.length} error(s); nothing was changed`);
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InternalError(`concurrency must be a positive integer, got ${concurrency}`);
  }

  const phases = Object.values(PHASES).sort((a, b) => a - b) as Phase[];
  const byPhase = phases.map((phase) => {
    const actions = plan.actions.filter((a) => a.phase === phase);
    return actions.length === 0 ? [] : target.units(phase, actions, live);
  });
  checkCoverage(plan.actions, byPhase.flat());

  const progress = options.progress;
  progress?.stage('checking the plan');
  const findings = await target.preflight(plan.actions, live);
  progress?.end();
  if (findings.length > 0) throw new PreflightRefusedError(findings);

  const total = plan.actions.length;
  progress?.stage('applying', { total, unit: unitOf(plan.actions) });
  const results: { done: IndexedUnit[]; failed: (IndexedUnit & { error: unknown })[]; skipped: IndexedUnit[] } = {
    done: [],
    failed: [],
    skipped: [],
  };
  const started = new Set<number>();
  let finished = 0;
  let stopped = false;
  const halted = (): boolean => stopped || options.stop?.aborted === true;
  let index = 0;
  const indexed = byPhase.map((units) => units.map((unit) => ({ index: index++, unit })));

  for (const units of indexed) {
    if (halted()) break;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!halted() && next < units.length) {
        const item = units[next++]!;
        started.add(item.index);
        try {
          await Promise.resolve().then(() => item.unit.run());
          results.done.push(item);
          finished += item.unit.actions.length;
          progress?.line(`[${finished}/${total}] ${pastTense(safe(item.unit.label))}`);
          progress?.advance(item.unit.actions.length);
        } catch (error) {
          stopped = true;
          finished += item.unit.actions.length;
          if (error instanceof BatchOutcomeError) {
            // A batch reports each action on its own; the actions share the unit's place in the report.
            const each = (action: PlanAction): WorkUnit => ({ label: describeAction(action), actions: [action], run: item.unit.run });
            for (const a of error.done) results.done.push({ index: item.index, unit: each(a) });
            for (const f of error.failed) results.failed.push({ index: item.index, unit: each(f.action), error: f.error });
            for (const a of error.notAttempted) results.skipped.push({ index: item.index, unit: each(a) });
          } else {
            results.failed.push({ ...item, error });
          }
          progress?.line(`[${finished}/${total}] failed: ${safe(item.unit.label)}`);
          progress?.advance(item.unit.actions.length);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, units.length) }, worker));
  }

  const toReport = (i: IndexedUnit): UnitReport => ({ label: i.unit.label, actions: i.unit.actions });
  const report: ApplyReport = {
    done: results.done.sort((a, b) => a.index - b.index).map(toReport),
    failed: results.failed.sort((a, b) => a.index - b.index).map((f) => ({ ...toReport(f), error: f.error })),
    notAttempted: [...results.skipped, ...indexed.flat().filter((i) => !started.has(i.index))]
      .sort((a, b) => a.index - b.index)
      .map(toReport),
  };
  if (options.stop?.aborted === true) throw new ApplyInterruptedError(report);
  if (report.failed.length > 0) throw new ApplyStoppedError(report);
  // Only here did applying end as planned; cut short, it is closed without a line of its own.
  progress?.end();

  progress?.stage('verifying');
  const remaining = await options.replan();
  progress?.end();
  if (remaining.actions.length > 0 || remaining.errors.length > 0) throw new NotConvergedError(report, remaining);
  return report;
}

/**
 * What the actions are, for counting them: topics (one action each), ACL bindings, or changes
 * (several actions on one topic, or topics and ACLs together).
 */
function unitOf(actions: readonly PlanAction[]): Noun {
  const kinds = new Set(actions.map((a) => a.resource.kind));
  if (kinds.size !== 1) return ['change', 'changes'];
  if (kinds.has('acl')) return ['ACL binding', 'ACL bindings'];
  const topics = new Set(actions.map((a) => (a.resource.kind === 'topic' ? a.resource.name : '')));
  return topics.size === actions.length ? ['topic', 'topics'] : ['topic change', 'topic changes'];
}

/** A target must carry out exactly the plan's actions (the same objects), each in exactly one unit. */
function checkCoverage(actions: readonly PlanAction[], units: readonly WorkUnit[]): void {
  const seen = new Map<PlanAction, number>();
  for (const unit of units) for (const a of unit.actions) seen.set(a, (seen.get(a) ?? 0) + 1);
  const missing = actions.filter((a) => seen.get(a) !== 1);
  if (missing.length > 0 || seen.size !== actions.length) {
    throw new InternalError(
      `the target grouped the plan's actions wrongly (${missing.length} action(s) missing or repeated); nothing was changed`,
    );
  }
}
