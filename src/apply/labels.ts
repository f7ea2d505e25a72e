/**
 * Short, one-line descriptions of plan actions for progress lines and apply reports, worded and
 * escaped like the plan renderers do.
 */
import type { PlanAction } from '../model.js';
import { safe } from '../render/escape.js';
import { describeResource } from '../render/resource.js';

/**
 * `create topic orders.v1`: the verb of the action followed by its resource, escaped. Updates name
 * the fields they change, since one topic can be updated in two phases (partitions, configs).
 */
export function describeAction(action: PlanAction): string {
  const base = `${action.action} ${describeResource(action.resource)}`;
  if (action.action !== 'update' || action.changes.length === 0) return base;
  const fields = action.changes.map((c) => safe(c.field.startsWith('config.') ? c.field.slice('config.'.length) : c.field));
  const shown = fields.length > 3 ? [...fields.slice(0, 3), `${fields.length - 3} more`] : fields;
  return `${base} (${shown.join(', ')})`;
}

const PAST: Record<string, string> = {
  add: 'added',
  alter: 'altered',
  create: 'created',
  delete: 'deleted',
  grant: 'granted',
  increase: 'increased',
  remove: 'removed',
  replace: 'replaced',
  revoke: 'revoked',
  set: 'set',
  update: 'updated',
};

/** Turns a unit label `create topic x` into the progress wording `created topic x`. */
export function pastTense(label: string): string {
  const space = label.indexOf(' ');
  const verb = space < 0 ? label : label.slice(0, space);
  const past = PAST[verb];
  return past === undefined ? `done: ${label}` : `${past}${label.slice(verb.length)}`;
}
