/** `kafkaform apply`: carry out a plan, after confirmation, and check the cluster converged. */
import { InterruptedError, UsageError } from '../errors.js';
import { ApplyInterruptedError, ApplyStoppedError, NotConvergedError, executePlan, type ApplyReport } from '../apply/executor.js';
import { plan as computePlan } from '../plan/index.js';
import { renderText, safe } from '../render/index.js';
import { EXIT, reportError } from './exit.js';
import { desiredState, planOptions, withProgress, withSession, type ClusterOptions, type PlanFlags, type Session } from './common.js';
import { resolvePath, useColor, type Io } from './io.js';
import { refuseErrors } from './plan.js';
import { checkSavedPlanFlags, clusterOfSavedPlan, readSavedPlan, verifySavedPlan } from './saved-plan.js';
import type { ReplicationFactorOptions } from '../targets/target.js';
import type { Progress } from '../progress/index.js';

/** Options of `apply`. */
export interface ApplyOptions extends ClusterOptions, PlanFlags {
  /** Skip the confirmation (required when stdin is not a terminal). */
  autoApprove?: boolean;
  /** Delete topics in scope that the manifests no longer declare. */
  allowDelete?: boolean;
  /** Refuse plans deleting more ACL bindings than this. */
  maxAclDeletes?: number;
  /**
   * Apply this saved JSON plan: it names the cluster and the options, and is applied only when
   * planning again from the manifests and the cluster gives exactly this plan.
   */
  planFile?: string;
  /** Units running at once inside a phase (default 8). */
  concurrency?: number;
  /** Wait until replicas moved for replication-factor changes are in place (default true). */
  waitReassignment?: boolean;
  /** Replication throttle in bytes per second while replicas move; needs waiting. */
  reassignmentThrottle?: number;
  /**
   * Called once the executor ran, with what it did (done, failed and not-attempted units), whether
   * the cluster converged, apply stopped or was interrupted. Not called when nothing was executed
   * (no changes, refused, cancelled).
   */
  onReport?: (report: ApplyReport) => void;
}

/**
 * Plans (and checks the result is `planFile`, when given), shows the plan, asks for confirmation,
 * executes it phase by phase, then plans again to check the cluster matches. Exit 0 on success or no changes, 130 when
 * interrupted or when the confirmation got no answer, 1 otherwise.
 */
export async function apply(options: ApplyOptions, io: Io): Promise<number> {
  const interruptible = io.interruptible ?? (<T>(fn: (interrupted: AbortSignal) => Promise<T>) => fn(new AbortController().signal));
  return interruptible((interrupted) => applyUntil(options, io, interrupted));
}

async function applyUntil(options: ApplyOptions, io: Io, interrupted: AbortSignal): Promise<number> {
  try {
    return await withProgress(io, options.quiet === true, (shown, progress) => applyShowing(options, shown, progress, interrupted));
  } catch (e) {
    return reportError(e, { stderr: io.stderr, debug: options.debug === true, color: useColor(io, 'stderr') });
  }
}

/** Apply with its progress shown; errors are reported by the caller, once the display is down. */
async function applyShowing(options: ApplyOptions, io: Io, progress: Progress, interrupted: AbortSignal): Promise<number> {
  const color = useColor(io);
  // Until the executor starts, nothing has changed and an interrupt cancels whatever is waiting.
  // From then on the executor handles it: what runs finishes, nothing new starts.
  const cancel = new AbortController();
  let executing = false;
  interrupted.addEventListener(
    'abort',
    () => {
      if (!executing) cancel.abort(new InterruptedError('Interrupted; nothing was changed.'));
      else io.stderr('Interrupted: starting nothing new, waiting for the operations in flight to finish (interrupt again to exit at once).\n');
    },
    { once: true },
  );
  if (options.concurrency !== undefined && (!Number.isInteger(options.concurrency) || options.concurrency < 1)) {
    throw new UsageError(`--concurrency must be a whole number of at least 1, got ${options.concurrency}`);
  }
  const file = options.planFile;
  const saved = file === undefined ? undefined : { file, plan: await readSavedPlan(resolvePath(io, file), file) };
  if (saved) checkSavedPlanFlags(saved.plan, options, io.env, saved.file);
  const work = async (session: Session): Promise<{ code: number; done?: string }> => {
    const desired = desiredState(session, io, options.debug === true);
    // A saved plan is planned again with its own options, and only that fresh plan is executed.
    const opts = planOptions(session, saved?.plan.options ?? options);
    const thePlan = computePlan(desired, session.live, opts);
    if (saved) verifySavedPlan(saved.plan, thePlan, saved.file);
    io.stdout(renderText(thePlan, { color }));
    refuseErrors(thePlan);
    cancel.signal.throwIfAborted();
    if (thePlan.actions.length === 0) {
      return { code: EXIT.ok };
    }

    if (options.autoApprove !== true) {
      if (io.canPrompt !== true) {
        throw new UsageError('apply needs confirmation but stdin is not a terminal; pass --auto-approve to apply without asking');
      }
      const question = `\nApply these changes to cluster ${safe(session.spec.name)}? Only "yes" is accepted: `;
      const answer = await session.deadline.paused(() => io.prompt(question, interrupted));
      if (answer === null) {
        io.stderr('Apply cancelled; nothing was changed.\n');
        return { code: EXIT.interrupted };
      }
      if (answer.trim() !== 'yes') {
        io.stderr('Apply cancelled; nothing was changed.\n');
        return { code: EXIT.error };
      }
    }

    executing = true;
    const report = await executePlan(thePlan, session.target, session.live, {
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      progress,
      stop: interrupted,
      replan: async () => computePlan(desired, await session.target.read(), opts),
    }).catch((error: unknown) => {
      if (error instanceof ApplyStoppedError || error instanceof ApplyInterruptedError || error instanceof NotConvergedError) {
        options.onReport?.(error.report);
      }
      throw error;
    });
    options.onReport?.(report);
    const s = thePlan.summary;
    return { code: EXIT.ok, done: `\nApply complete: ${s.create} created, ${s.update} updated, ${s.delete} deleted.\n` };
  };
  const sessionOptions = { ...options, progress, replicationFactor: replicationFactorOptions(options) };
  const outcome = saved
    ? await withSession(sessionOptions, io, work, cancel.signal, (clusters) => clusterOfSavedPlan(saved.plan, clusters, saved.file))
    : await withSession(sessionOptions, io, work, cancel.signal);
  // Printed only once the target is closed: for a snapshot, that is when the file is written.
  if (outcome.done !== undefined) io.stdout(outcome.done);
  return outcome.code;
}

/** The replication-factor options of apply's flags; a throttle is only removed by waiting. */
function replicationFactorOptions(options: ApplyOptions): ReplicationFactorOptions {
  const wait = options.waitReassignment !== false;
  const throttle = options.reassignmentThrottle;
  if (throttle === undefined) return { wait };
  if (!Number.isSafeInteger(throttle) || throttle < 1) {
    throw new UsageError(`--reassignment-throttle must be a whole number of bytes per second of at least 1, got ${throttle}`);
  }
  if (!wait) {
    throw new UsageError(
      '--reassignment-throttle needs waiting for the reassignment, which is when the throttle is removed; drop --no-wait-reassignment',
    );
  }
  return { wait, throttleBytesPerSecond: throttle };
}
