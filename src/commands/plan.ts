/** `kafkaform plan`: what apply would do, as text, markdown or JSON. */
import { PlanRefusedError } from '../errors.js';
import type { Plan } from '../model.js';
import { plan as computePlan } from '../plan/index.js';
import { renderJson, renderMarkdown, renderText } from '../render/index.js';
import { EXIT, reportError } from './exit.js';
import { desiredState, planOptions, withProgress, withSession, type ClusterOptions, type PlanFlags } from './common.js';
import { emit, useColor, type Io, type OutputFormat } from './io.js';

/** Options of `plan`. */
export interface PlanCommandOptions extends ClusterOptions, PlanFlags {
  format?: OutputFormat;
  /** Write the rendering to this file instead of stdout. */
  out?: string;
  /** Exit 2 when the plan has changes. */
  detailedExitcode?: boolean;
  /** Plan topic deletions in scope instead of holding them back. */
  allowDelete?: boolean;
  /** Refuse plans deleting more ACL bindings than this. */
  maxAclDeletes?: number;
}

/** Renders a plan in a format; colour only for text on a terminal. */
export function renderPlan(plan: Plan, format: OutputFormat, color: boolean): string {
  switch (format) {
    case 'json':
      return renderJson(plan);
    case 'markdown':
      return renderMarkdown(plan);
    case 'text':
      return renderText(plan, { color });
  }
}

/** Refuses a plan with errors, after it has been shown (the rendering lists them). */
export function refuseErrors(plan: Plan): void {
  if (plan.errors.length > 0) {
    const n = plan.errors.length;
    throw new PlanRefusedError(`the plan has ${n} error${n === 1 ? '' : 's'}; fix the manifests before applying`);
  }
}

/**
 * Plans the cluster against the manifests and prints the plan. Exit 0, or 2 with
 * `detailedExitcode` when there are changes, 1 on any error (including errors in the plan).
 */
export async function plan(options: PlanCommandOptions, io: Io): Promise<number> {
  try {
    const result = await withProgress(io, options.quiet === true, (shown, progress) =>
      withSession({ ...options, progress }, shown, async (session) =>
        computePlan(desiredState(session, shown, options.debug === true), session.live, planOptions(session, options)),
      ),
    );
    const format = options.format ?? 'text';
    await emit(io, renderPlan(result, format, options.out === undefined && useColor(io)), options.out, 'Plan');
    refuseErrors(result);
    return options.detailedExitcode === true && result.actions.length > 0 ? EXIT.changes : EXIT.ok;
  } catch (e) {
    return reportError(e, { stderr: io.stderr, debug: options.debug === true, color: useColor(io, 'stderr') });
  }
}
