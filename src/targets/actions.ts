/**
 * Reading plan actions as the requests they stand for; shared by the targets that send them.
 */
import { InternalError } from '../errors.js';
import type { AclBinding, PlanAction, PlanChange } from '../model.js';
import { REDACTED } from '../plan/index.js';

/** A config entry of a topic create. */
export interface ConfigEntry {
  name: string;
  value: string;
}

/** One operation of a config alter: set a key on the topic, or delete it (back to inherited). */
export type AlterOperation = { name: string; operation: 'SET'; value: string } | { name: string; operation: 'DELETE' };

/** A topic create as the plan states it. */
export interface CreateSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: ConfigEntry[];
}

/** The topic a topic action is about. */
export function topicName(action: PlanAction): string {
  if (action.resource.kind !== 'topic') throw new InternalError(`phase ${action.phase} action is not about a topic`);
  return action.resource.name;
}

/** The binding an ACL action is about. */
export function aclOf(action: PlanAction): AclBinding {
  const r = action.resource;
  if (r.kind !== 'acl') throw new InternalError(`phase ${action.phase} action is not about an ACL binding`);
  return r;
}

/** True when the plan holds a sensitive value redacted, which cannot be sent. */
export function isRedacted(change: PlanChange): boolean {
  return change.sensitive === true && (change.to === REDACTED || change.from === REDACTED) && change.to !== null;
}

/** The create request a phase-1 action stands for. */
export function createSpec(action: PlanAction): CreateSpec {
  const name = topicName(action);
  let partitions: number | undefined;
  let replicationFactor: number | undefined;
  const configs: ConfigEntry[] = [];
  for (const c of action.changes) {
    if (c.field === 'partitions' && typeof c.to === 'number') partitions = c.to;
    else if (c.field === 'replicationFactor' && typeof c.to === 'number') replicationFactor = c.to;
    else if (c.field.startsWith('config.') && typeof c.to === 'string') configs.push({ name: c.field.slice(7), value: c.to });
    else throw new InternalError(`unexpected change ${c.field} in the create action of topic ${name}`);
  }
  if (partitions === undefined || replicationFactor === undefined) {
    throw new InternalError(`the create action of topic ${name} lacks partitions or replicationFactor`);
  }
  return { name, partitions, replicationFactor, configs };
}

/** The SET/DELETE operations a phase-3 action stands for. */
export function alterOperations(action: PlanAction): AlterOperation[] {
  return action.changes.map((c): AlterOperation => {
    if (!c.field.startsWith('config.')) throw new InternalError(`unexpected change ${c.field} in a config action`);
    const name = c.field.slice(7);
    if (c.to === null) return { name, operation: 'DELETE' };
    if (typeof c.to !== 'string') throw new InternalError(`config.${name} must be a string in the plan`);
    return { name, operation: 'SET', value: c.to };
  });
}
