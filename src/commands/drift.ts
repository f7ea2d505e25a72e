/** `kafkaform drift`: does the live cluster still match the manifests? */
import { plan as computePlan } from '../plan/index.js';
import { mdText, safe } from '../render/index.js';
import { EXIT, reportError } from './exit.js';
import { desiredState, planOptions, withProgress, withSession, type ClusterOptions, type PlanFlags } from './common.js';
import { emit, useColor, type Io, type OutputFormat } from './io.js';
import { refuseErrors, renderPlan } from './plan.js';

/** Options of `drift`. */
export interface DriftOptions extends ClusterOptions, PlanFlags {
  format?: OutputFormat;
  /** Write the report to this file instead of stdout. */
  out?: string;
  /** Count topic deletions in scope as drift, as `apply --allow-delete` would make them. */
  allowDelete?: boolean;
  /** Plans deleting more ACL bindings than this have an error, as in `plan`. */
  maxAclDeletes?: number;
}

/**
 * Compares the live cluster with the manifests. Drift is exactly what `plan` with the same flags
 * would do: its actions. Held-back changes (topic deletions without `--allow-delete`) are listed
 * and counted but are not drift, so a cluster whose owners chose not to delete is not reported as
 * drifting forever. Exit 0 without drift, 2 with drift, 1 on error — as `plan --detailed-exitcode`.
 */
export async function drift(options: DriftOptions, io: Io): Promise<number> {
  try {
    const result = await withProgress(io, options.quiet === true, (shown, progress) =>
      withSession({ ...options, progress }, shown, async (session) =>
        computePlan(desiredState(session, shown, options.debug === true), session.live, planOptions(session, options)),
      ),
    );
    const drifted = result.actions.length > 0;
    const format = options.format ?? 'text';
    const color = options.out === undefined && useColor(io);
    const name = safe(result.cluster.name);
    const held = result.heldBack.length;
    const heldNote = `; ${held === 1 ? '1 change is' : `${held} changes are`} held back, which is not drift without --allow-delete`;
    const targets = result.options.targets;
    // A targeted drift check says so even when it finds nothing: it looked at part of the cluster.
    const what = targets === undefined ? `cluster ${name} matches` : `the resources of cluster ${name} matching --target ${targets.map(safe).join(', ')} match`;
    const mdWhat = targets === undefined ? 'The cluster matches' : `The resources matching --target ${targets.map(mdText).join(', ')} match`;
    let text = renderPlan(result, format, color);
    if (format === 'text') {
      text = drifted
        ? `Drift detected: cluster ${name} differs from the manifests.\n\n${text}`
        : held > 0
          ? `No drift: ${what} the manifests${heldNote}.\n\n${text}`
          : `No drift: ${what} the manifests.\n`;
    } else if (format === 'markdown') {
      text = drifted
        ? `### Drift detected on cluster ${name}\n\n${text}`
        : held > 0
          ? `### No drift on cluster ${name}\n\n${mdWhat} the manifests${heldNote}.\n\n${text}`
          : `### No drift on cluster ${name}\n\n${mdWhat} the manifests.\n`;
    }
    await emit(io, text, options.out, 'Drift report');
    refuseErrors(result);
    return drifted ? EXIT.changes : EXIT.ok;
  } catch (e) {
    return reportError(e, { stderr: io.stderr, debug: options.debug === true, color: useColor(io, 'stderr') });
  }
}
