import type { JsonValue, Phase, Plan, PlanAction, PlanChange, PlanResource } from '../model.js';
import { humanizeConfigValue } from '../kafka/configs.js';
import { quoted, safe } from './escape.js';
import { describeResource } from './resource.js';

/** Terraform's markers: `+` create, `~` change, `-` delete or reset. */
export type Marker = '+' | '~' | '-';

/** One line of an action's rendering, before indentation and colour are applied. */
export interface Line {
  marker: Marker;
  /** 0 for the resource, 1 for its fields. */
  depth: 0 | 1;
  /** Already escaped: safe to print. */
  text: string;
}

/** What each phase does, as headings say it. */
export const PHASE_TITLES: Record<Phase, string> = {
  1: 'create topics',
  2: 'increase partitions / change replication factor',
  3: 'alter topic configs',
  4: 'create ACLs',
  5: 'delete ACLs',
  6: 'delete topics',
};

function fieldName(change: PlanChange): string {
  return safe(change.field.startsWith('config.') ? change.field.slice('config.'.length) : change.field);
}

/** A value as shown in a change: quoted strings with human units beside, numbers as they are. */
export function formatValue(change: PlanChange, value: JsonValue): string {
  if (change.sensitive && value !== null) return '(sensitive value)';
  if (typeof value === 'string') {
    const human = change.field.startsWith('config.') ? humanizeConfigValue(change.field.slice('config.'.length), value) : undefined;
    return human === undefined ? quoted(value) : `${quoted(value)} (${safe(human)})`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return safe(JSON.stringify(value));
}

/** What a reset falls back to: `(default)`, or `(default "1073741824" (1GiB))` when known. */
export function resetTarget(change: PlanChange): string {
  return change.inherited === undefined || change.sensitive ? '(default)' : `(default ${formatValue(change, change.inherited)})`;
}

function changeMarker(action: PlanAction, change: PlanChange): Marker {
  if (action.action === 'create' || change.from === null) return '+';
  return change.to === null ? '-' : '~';
}

const HEADER_MARKER: Record<PlanAction['action'], Marker> = { create: '+', update: '~', delete: '-' };

/**
 * An action as lines: the resource (with the role that grants it, for ACL bindings from a role),
 * then one aligned line per changed field (`retention.ms = "86400000" (1d) -> "604800000" (7d)`).
 */
export function actionLines(action: PlanAction): Line[] {
  const role = action.role === undefined ? '' : ` (role ${safe(action.role)})`;
  const lines: Line[] = [{ marker: HEADER_MARKER[action.action], depth: 0, text: `${describeResource(action.resource)}${role}` }];
  const rows = action.changes.map((change) => {
    const marker = changeMarker(action, change);
    const name = fieldName(change);
    if (marker === '+') return { marker, name, old: undefined, now: formatValue(change, change.to) };
    const now = change.to === null ? resetTarget(change) : formatValue(change, change.to);
    return { marker, name, old: formatValue(change, change.from), now };
  });
  const nameWidth = Math.max(0, ...rows.map((r) => r.name.length));
  const oldWidth = Math.max(0, ...rows.map((r) => r.old?.length ?? 0));
  for (const row of rows) {
    const name = row.name.padEnd(nameWidth);
    const text = row.old === undefined ? `${name} = ${row.now}` : `${name} = ${row.old.padEnd(oldWidth)} -> ${row.now}`;
    lines.push({ marker: row.marker, depth: 1, text });
  }
  return lines;
}

/** The closing summary line, as Terraform words it. */
export function summaryLine(plan: Plan): string {
  const { create, update, delete: del } = plan.summary;
  // "No changes" only when nothing is left to do: errors and held-back changes mean the cluster
  // still differs from the manifests.
  if (plan.actions.length === 0 && plan.errors.length === 0) {
    return plan.heldBack.length === 0
      ? plan.options.targets === undefined
        ? 'No changes. The cluster matches the manifests.'
        : 'No changes. The targeted resources match the manifests.'
      : `No changes. ${count(plan.heldBack.length, 'change')} held back (see above).`;
  }
  return `Plan: ${create} to create, ${update} to update, ${del} to delete.`;
}

/**
 * The sentence saying a plan is partial (made with `--target`), or undefined for a whole plan.
 * Not escaped: the selectors come from the command line or a plan file, so the caller escapes it.
 */
export function partialLine(plan: Plan): string | undefined {
  const targets = plan.options.targets;
  if (targets === undefined) return undefined;
  return `Partial plan: only resources matching --target ${targets.join(', ')}; changes to anything else are neither shown nor made.`;
}

/** `1 error` / `2 errors`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Actions grouped by phase, phases ascending, keeping the plan's order inside each phase. */
export function byPhase(actions: readonly PlanAction[]): [Phase, PlanAction[]][] {
  const groups = new Map<Phase, PlanAction[]>();
  for (const action of actions) {
    const group = groups.get(action.phase);
    if (group) group.push(action);
    else groups.set(action.phase, [action]);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]);
}

/** Unmanaged ACL bindings grouped by principal (clusters can hold thousands). */
export function unmanagedAclCounts(unmanaged: readonly PlanResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of unmanaged) if (r.kind === 'acl') counts.set(r.principal, (counts.get(r.principal) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
