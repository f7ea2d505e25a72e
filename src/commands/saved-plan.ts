/** Saved plans (`plan --format json --out FILE`) read back for `apply --plan FILE`. */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.js';
import type { Plan } from '../model.js';

let validator: ValidateFunction | undefined;

function validatePlan(value: unknown): string | undefined {
  if (!validator) {
    // Same relative depth from src/commands and dist/commands to the repo root.
    const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as Record<
      string,
      unknown
    >;
    const draft2020 = String(schema['$schema'] ?? '').includes('2020-12');
    validator = (draft2020 ? new Ajv2020({ allErrors: true, strict: false }) : new Ajv({ allErrors: true, strict: false })).compile(
      schema,
    );
  }
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
