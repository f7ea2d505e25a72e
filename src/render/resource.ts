/**
 * How a resource is named everywhere: plan renderings, progress lines, apply reports and errors.
 * Apart from the plan layout so that naming a resource loads no config catalog (the error path
 * of every command uses it).
 */
import type { PlanResource } from '../model.js';
import { safe } from './escape.js';

/** A resource in words, every server- or user-supplied part escaped. */
export function describeResource(resource: PlanResource): string {
  if (resource.kind === 'topic') return `topic ${safe(resource.name)}`;
  const pattern = resource.patternType === 'PREFIXED' ? ' (prefixed)' : resource.patternType === 'LITERAL' ? '' : ` (${safe(resource.patternType)})`;
  const host = resource.host === '*' ? '' : ` from host ${safe(resource.host)}`;
  return `acl ${safe(resource.principal)} ${safe(resource.permission)} ${safe(resource.operation)} on ${safe(resource.resourceType)} ${safe(resource.resourceName)}${pattern}${host}`;
}
