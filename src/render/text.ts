import type { Plan } from '../model.js';
import { ANSI, PLAIN, type Palette } from './color.js';
import { safe } from './escape.js';
import {
  actionLines,
  byPhase,
  count,
  partialLine,
  PHASE_TITLES,
  summaryLine,
  unmanagedAclCounts,
  type Line,
  type Marker,
} from './layout.js';
import { describeResource } from './resource.js';

/** Options of the text renderer. */
export interface TextOptions {
  /** ANSI colours; the CLI enables them only on a TTY without NO_COLOR. */
  color: boolean;
}

/** `sha256:` and the first 12 hex digits: enough to tell two live states apart at a glance. */
function shortFingerprint(fp: string): string {
  return fp.startsWith('sha256:') ? fp.slice(0, 'sha256:'.length + 12) : fp;
}

/**
 * Unmanaged topics (and principals) listed by name before the rest are counted: on a shared
 * cluster they can number thousands, and every plan would scroll them past.
 */
export const UNMANAGED_SHOWN = 20;

function paint(palette: Palette, marker: Marker): (text: string) => string {
  return marker === '+' ? palette.add : marker === '-' ? palette.remove : palette.change;
}

function renderLine(palette: Palette, line: Line): string {
  const indent = line.depth === 0 ? '  ' : '      ';
  return `${indent}${paint(palette, line.marker)(`${line.marker} ${line.text}`)}`;
}

/**
 * The plan for a terminal, Terraform-like: actions by phase with `+ ~ -` markers and aligned
 * `old -> new`, then held-back, unmanaged, warnings and errors, then
 * `Plan: 2 to create, 1 to update, 0 to delete.`. Every name and value is escaped first, so nothing
 * from a server or manifest can drive the terminal.
 */
export function renderText(plan: Plan, options: TextOptions): string {
  const p = options.color ? ANSI : PLAIN;
  const out: string[] = [];
  out.push(p.bold(`Plan for cluster ${safe(plan.cluster.name)} (${safe(plan.cluster.type)})`) + p.dim(`, live state ${safe(shortFingerprint(plan.fingerprint))}`));
  const partial = partialLine(plan);
  if (partial !== undefined) out.push(p.warn(safe(partial)));

  for (const [phase, actions] of byPhase(plan.actions)) {
    out.push('', p.bold(`Phase ${phase}: ${PHASE_TITLES[phase]}`));
    for (const action of actions) for (const line of actionLines(action)) out.push(renderLine(p, line));
  }

  if (plan.heldBack.length > 0) {
    out.push('', p.bold('Held back (not in this plan):'));
    for (const h of plan.heldBack) out.push(`  ${p.dim(`${describeResource(h.resource)}: ${safe(h.reason)}`)}`);
  }

  const unmanagedTopics = plan.unmanaged.filter((r) => r.kind === 'topic');
  const unmanagedAcls = unmanagedAclCounts(plan.unmanaged);
  if (unmanagedTopics.length > 0 || unmanagedAcls.length > 0) {
    out.push('', p.bold("Unmanaged (outside the manifests' scope, never touched):"));
    for (const r of unmanagedTopics.slice(0, UNMANAGED_SHOWN)) out.push(`  ${p.dim(describeResource(r))}`);
    if (unmanagedTopics.length > UNMANAGED_SHOWN) out.push(`  ${p.dim(`... and ${unmanagedTopics.length - UNMANAGED_SHOWN} more topics (all in -o json)`)}`);
    for (const [principal, n] of unmanagedAcls.slice(0, UNMANAGED_SHOWN)) out.push(`  ${p.dim(`${count(n, 'ACL binding')} of ${safe(principal)}`)}`);
    if (unmanagedAcls.length > UNMANAGED_SHOWN) out.push(`  ${p.dim(`... and the ACL bindings of ${unmanagedAcls.length - UNMANAGED_SHOWN} more principals (all in -o json)`)}`);
  }

  if (plan.warnings.length > 0) {
    out.push('', p.bold('Warnings:'));
    for (const w of plan.warnings) out.push(`  ${p.warn(`Warning: ${safe(w)}`)}`);
  }

  if (plan.errors.length > 0) {
    out.push('', p.bold(p.error('Errors:')));
    for (const e of plan.errors) {
      const subject = e.resource ? `${describeResource(e.resource)}: ` : '';
      out.push(`  ${p.error(`Error: ${subject}${safe(e.reason)}`)}`);
    }
  }

  out.push('', p.bold(summaryLine(plan)));
  if (plan.errors.length > 0) {
    out.push(p.error(`The plan has ${count(plan.errors.length, 'error')} and cannot be applied.`));
  }
  return `${out.join('\n')}\n`;
}
