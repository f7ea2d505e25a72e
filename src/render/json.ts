import type { JsonValue, PatchOperation, Plan, PlanChange, PlanResource } from '../model.js';
import { terminalSafeJson } from './escape.js';

function resource(r: PlanResource): PlanResource {
  if (r.kind === 'topic') return { kind: 'topic', name: r.name };
  return {
    kind: 'acl',
    principal: r.principal,
    host: r.host,
    resourceType: r.resourceType,
    resourceName: r.resourceName,
    patternType: r.patternType,
    operation: r.operation,
    permission: r.permission,
  };
}

function sortedKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = sortedKeys(value[key] as JsonValue);
  return out;
}

function change(c: PlanChange): PlanChange {
  return {
    field: c.field,
    from: sortedKeys(c.from),
    to: sortedKeys(c.to),
    ...(c.sensitive ? { sensitive: true } : {}),
    ...(c.inherited !== undefined ? { inherited: c.inherited } : {}),
  };
}

function operation(op: PatchOperation): PatchOperation {
  return { op: op.op, path: op.path, ...(op.value !== undefined ? { value: sortedKeys(op.value) } : {}) };
}

/**
 * The plan as JSON (`schemas/plan.schema.json`): keys in one fixed order whatever order the value
 * was built or parsed in, two-space indent, trailing newline — so equal plans are equal bytes.
 * Characters a terminal could interpret are `\\u` escapes, so printing the plan is safe.
 */
export function renderJson(plan: Plan): string {
  const ordered: Plan = {
    formatVersion: plan.formatVersion,
    cluster: { name: plan.cluster.name, type: plan.cluster.type },
    options: {
      allowDelete: plan.options.allowDelete,
      maxAclDeletes: plan.options.maxAclDeletes,
      ...(plan.options.targets !== undefined ? { targets: [...plan.options.targets] } : {}),
    },
    desiredDigest: plan.desiredDigest,
    fingerprint: plan.fingerprint,
    summary: { create: plan.summary.create, update: plan.summary.update, delete: plan.summary.delete, errors: plan.summary.errors },
    actions: plan.actions.map((a) => ({
      phase: a.phase,
      action: a.action,
      resource: resource(a.resource),
      changes: a.changes.map(change),
      patch: a.patch.map(operation),
      ...(a.role === undefined ? {} : { role: a.role }),
    })),
    errors: plan.errors.map((e) => ({ ...(e.resource ? { resource: resource(e.resource) } : {}), reason: e.reason })),
    heldBack: plan.heldBack.map((h) => ({ resource: resource(h.resource), reason: h.reason })),
    unmanaged: plan.unmanaged.map(resource),
    warnings: [...plan.warnings],
  };
  return `${terminalSafeJson(JSON.stringify(ordered, null, 2))}\n`;
}
