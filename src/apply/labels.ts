/**
 * Short, one-line descriptions of plan actions for progress lines and apply reports, worded and
 * escaped like the plan renderers do.
 */
import type { PlanAction } from '../model.js';
import { describeResource } from '../render/index.js';

/** `create topic orders.v1`: the verb of the action followed by its resource, escaped. */
export function describeAction(action: PlanAction): string {
  return `${action.action} ${describeResource(action.resource)}`;
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
