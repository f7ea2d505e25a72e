/** Saved plans (`plan --format json --out FILE`) read back for `apply --plan FILE`. */
import { readFile } from 'node:fs/promises';
import type { ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.js';
import type { Plan } from '../model.js';
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

/** Reads a plan saved as JSON and checks it against `schemas/plan.schema.json`. */
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
    throw new ConfigError(`plan ${shownAs} is not JSON; save plans with: kafkaform plan --format json --out ${shownAs}`);
  }
  const problem = validatePlan(value);
  if (problem !== undefined) throw new ConfigError(`plan ${shownAs} is not a kafkaform plan: ${problem}`);
  return value as Plan;
}
