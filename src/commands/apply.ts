/** `kafkaform apply`: carry out a plan, after confirmation, and check the cluster converged. */
import { InterruptedError, PlanRefusedError, UsageError } from '../errors.js';
import type { Plan } from '../model.js';
import { executePlan } from '../apply/executor.js';
import { fingerprint, plan as computePlan } from '../plan/index.js';
import { renderText, safe } from '../render/index.js';
import { EXIT, reportError } from '../cli/exit.js';
import { desiredState, planOptions, withSession, type ClusterOptions } from './common.js';
import { resolvePath, useColor, type Io } from './io.js';
import { refuseErrors } from './plan.js';
import { readSavedPlan } from './saved-plan.js';

/** Options of `apply`. */
export interface ApplyOptions extends ClusterOptions {
  /** Skip the confirmation (required when stdin is not a terminal). */
  autoApprove?: boolean;
  /** Delete topics in scope that the manifests no longer declare. */
  allowDelete?: boolean;
  /** Refuse plans deleting more ACL bindings than this. */
  maxAclDeletes?: number;
  /** Apply this saved JSON plan instead of planning now; refused if the cluster changed since. */
  planFile?: string;
  /** Units running at once inside a phase (default 8). */
  concurrency?: number;
  /** No progress lines. */
  quiet?: boolean;
}

/**
 * Plans (or loads `planFile`), shows the plan, asks for confirmation, executes it phase by phase,
 * then plans again to check the cluster matches. Exit 0 on success or no changes, 130 when
 * interrupted or when the confirmation got no answer, 1 otherwise.
 */
export async function apply(options: ApplyOptions, io: Io): Promise<number> {
  const interruptible = io.interruptible ?? (<T>(fn: (interrupted: AbortSignal) => Promise<T>) => fn(new AbortController().signal));
  return interruptible((interrupted) => applyUntil(options, io, interrupted));
}

async function applyUntil(options: ApplyOptions, io: Io, interrupted: AbortSignal): Promise<number> {
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
  try {
    if (options.concurrency !== undefined && (!Number.isInteger(options.concurrency) || options.concurrency < 1)) {
      throw new UsageError(`--concurrency must be a whole number of at least 1, got ${options.concurrency}`);
    }
    const outcome = await withSession(options, io, async (session): Promise<{ code: number; done?: string }> => {
      const desired = desiredState(session, io, options.debug === true);
      const opts = planOptions(session, options);
      let thePlan: Plan;
      if (options.planFile !== undefined) {
        thePlan = await readSavedPlan(resolvePath(io, options.planFile), options.planFile);
        if (thePlan.cluster.name !== session.spec.name) {
          throw new PlanRefusedError(
            `plan ${options.planFile} was made for cluster ${safe(thePlan.cluster.name)}, not ${safe(session.spec.name)}; nothing was changed`,
          );
        }
        if (thePlan.fingerprint !== fingerprint(session.live)) {
          throw new PlanRefusedError(
            `cluster ${safe(session.spec.name)} changed since plan ${options.planFile} was made; nothing was changed, run plan again`,
          );
        }
      } else {
        thePlan = computePlan(desired, session.live, opts);
      }
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

      const quiet = options.quiet === true;
      executing = true;
      await executePlan(thePlan, session.target, session.live, {
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(quiet ? {} : { progress: (line: string) => io.stderr(`${line}\n`) }),
        stop: interrupted,
        replan: async () => computePlan(desired, await session.target.read(), opts),
      });
      const s = thePlan.summary;
      return { code: EXIT.ok, done: `\nApply complete: ${s.create} created, ${s.update} updated, ${s.delete} deleted.\n` };
    }, cancel.signal);
    // Printed only once the target is closed: for a snapshot, that is when the file is written.
    if (outcome.done !== undefined) io.stdout(outcome.done);
    return outcome.code;
  } catch (e) {
    return reportError(e, { stderr: io.stderr, debug: options.debug === true, color });
  }
}
