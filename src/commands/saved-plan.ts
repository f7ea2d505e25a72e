/**
 * Saved plans (`plan -o json --out FILE`) read back and checked for `apply --plan FILE`.
 *
 * A saved plan is never trusted: apply plans again from the manifests and the live state with the
 * options the plan records, and goes ahead only when the result is the saved plan. What runs is
 * the plan just computed, so nothing a file could hold — an edited action, a resource outside the
 * scope — is ever executed. The digests the plan records make the refusal say what differs.
 */
import { readFile } from 'node:fs/promises';
import type { ValidateFunction } from 'ajv';
import { ConfigError, PlanRefusedError, UsageError } from '../errors.js';
import { PLAN_FORMAT_VERSION, type ClusterSpec, type Plan } from '../model.js';
import { normalizeSelectors } from '../plan/select.js';
import { renderJson, safe } from '../render/index.js';
import { validatePlan as validatePlanSchema } from './plan.validators.js';

// Compiled ahead of time from schemas/plan.schema.json (scripts/manifest-validators.mjs).
const validator = validatePlanSchema as ValidateFunction;

function validatePlan(value: unknown): string | undefined {
  if (validator(value)) return undefined;
  return (validator.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

/** How to make a plan `apply --plan` takes. */
function remake(shownAs: string): string {
  return `make it again with: kafkaform plan -o json --out ${shownAs}`;
}

/**
 * Reads a plan saved as JSON and checks it against `schemas/plan.schema.json`. A plan of another
 * format (format 1 records neither the manifests nor the options it was made from) is refused.
 */
export async function readSavedPlan(file: string, shownAs: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read plan ${shownAs}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(`plan ${shownAs} is not JSON; save plans with: kafkaform plan -o json --out ${shownAs}`);
  }
  const version = typeof value === 'object' && value !== null ? (value as { formatVersion?: unknown }).formatVersion : undefined;
  if (typeof version === 'number' && version !== PLAN_FORMAT_VERSION) {
    throw new PlanRefusedError(
      `plan ${shownAs} has plan format ${version}, and this kafkaform applies only format ${PLAN_FORMAT_VERSION}; nothing was changed, ${remake(shownAs)}`,
    );
  }
  const problem = validatePlan(value);
  if (problem !== undefined) throw new ConfigError(`plan ${shownAs} is not a kafkaform plan: ${problem}`);
  return value as Plan;
}

/** Flags of `apply` that a saved plan decides. */
export interface SavedPlanFlags {
  cluster?: string;
  allowDelete?: boolean;
  maxAclDeletes?: number;
  targets?: string[];
}

/**
 * Refuses flags that contradict the saved plan: the plan names its cluster and records its options,
 * so they need not be given again, and giving other ones is a mistake to report, not to resolve.
 */
export function checkSavedPlanFlags(saved: Plan, flags: SavedPlanFlags, env: Readonly<Record<string, string | undefined>>, shownAs: string): void {
  const made = `plan ${shownAs} was made for cluster ${safe(saved.cluster.name)}`;
  if (flags.cluster !== undefined && flags.cluster !== saved.cluster.name) {
    throw new UsageError(`${made}, not ${safe(flags.cluster)}; leave out --cluster with --plan`);
  }
  const fromEnv = env['KAFKAFORM_CLUSTER'];
  if (flags.cluster === undefined && fromEnv !== undefined && fromEnv !== '' && fromEnv !== saved.cluster.name) {
    throw new UsageError(`${made}, not ${safe(fromEnv)} (from KAFKAFORM_CLUSTER); nothing was changed`);
  }
  if (flags.allowDelete === true && !saved.options.allowDelete) {
    throw new UsageError(`plan ${shownAs} was made without --allow-delete; make it with --allow-delete, or leave the flag out with --plan`);
  }
  if (flags.maxAclDeletes !== undefined && flags.maxAclDeletes !== saved.options.maxAclDeletes) {
    throw new UsageError(
      `plan ${shownAs} was made with --max-acl-deletes ${saved.options.maxAclDeletes}, not ${flags.maxAclDeletes}; leave the flag out with --plan`,
    );
  }
  // The plan records its targets and is planned again with them: only other ones contradict it.
  if (flags.targets !== undefined && flags.targets.length > 0) {
    const given = normalizeSelectors(flags.targets);
    const recorded = saved.options.targets ?? [];
    if (given.join('\n') !== recorded.join('\n')) {
      const was = recorded.length === 0 ? 'without --target' : `with --target ${recorded.map(safe).join(', ')}`;
      throw new UsageError(`plan ${shownAs} was made ${was}, not with --target ${given.map(safe).join(', ')}; leave --target out with --plan`);
    }
  }
}

/** The declared cluster the saved plan is for; a plan for a cluster these manifests do not declare was made from others. */
export function clusterOfSavedPlan(saved: Plan, clusters: readonly ClusterSpec[], shownAs: string): ClusterSpec {
  const spec = clusters.find((c) => c.name === saved.cluster.name);
  const name = safe(saved.cluster.name);
  if (spec === undefined) {
    throw new PlanRefusedError(`plan ${shownAs} was not made from these manifests: they declare no cluster ${name}; nothing was changed`);
  }
  if (spec.type !== saved.cluster.type) {
    throw new PlanRefusedError(
      `plan ${shownAs} was not made from these manifests: it is for a ${saved.cluster.type} cluster ${name}, they declare ${name} as ${spec.type}; nothing was changed`,
    );
  }
  return spec;
}

/**
 * Refuses the saved plan unless it is, field for field, the plan just computed from the manifests
 * and the live state with its own options. Each difference found is one sentence.
 */
export function verifySavedPlan(saved: Plan, current: Plan, shownAs: string): void {
  const again = 'nothing was changed, run plan again';
  const stale: string[] = [];
  if (saved.desiredDigest !== current.desiredDigest) stale.push(`the manifests changed since plan ${shownAs} was made`);
  if (saved.fingerprint !== current.fingerprint) stale.push(`cluster ${safe(current.cluster.name)} changed since plan ${shownAs} was made`);
  if (stale.length > 0) throw new PlanRefusedError(`${stale.join('\n')}; ${again}`);
  // The same manifests and the same live state with the same options give the same plan (the
  // planner is pure), so any other difference was written into the file.
  if (renderJson(saved) !== renderJson(current)) {
    throw new PlanRefusedError(
      `plan ${shownAs} is not the plan these manifests give for cluster ${safe(current.cluster.name)}: the file was edited, or made by another version of kafkaform; ${again}`,
    );
  }
}
