// Golden rendering tests: each folder under test/golden/ is one case —
//   manifest.yaml  loaded through loadManifests, like the CLI does
//   live.json      a snapshot file (schemas/snapshot.schema.json), read with the snapshot parser
//   options.json   optional planner flags: { "allowDelete": true, "maxAclDeletes": 2, "targets": ["topic:x.*"] }
//   plan.txt / plan.md / plan.json   the expected renderings, reviewed in diffs
// Regenerate with UPDATE_GOLDEN=1 node test/run.mjs test/golden/golden.test.ts
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { LiveState, Plan } from '../../src/model.js';
import { loadManifests } from '../../src/manifest/index.js';
import { plan, type PlanOptions } from '../../src/plan/index.js';
import { renderJson, renderMarkdown, renderText } from '../../src/render/index.js';
import { parseSnapshot } from '../../src/targets/snapshot/file.js';
import { TARGET_KINDS } from '../../src/targets/index.js';

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object;
const validatePlan = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

type CaseOptions = Pick<PlanOptions, 'allowDelete' | 'maxAclDeletes' | 'targets'>;

async function planCase(dir: string): Promise<Plan> {
  const manifests = await loadManifests([join(dir, 'manifest.yaml')], { env: {} });
  const liveFile = join(dir, 'live.json');
  const snapshot = parseSnapshot(readFileSync(liveFile, 'utf8'), liveFile);
  const live: LiveState = {
    clusterId: snapshot.clusterId,
    topics: snapshot.topics,
    acls: snapshot.acls,
    ...(snapshot.principals ? { principals: snapshot.principals } : {}),
  };
  const cluster = manifests.clusters[0];
  assert.ok(cluster, `${dir}/manifest.yaml must declare the case's cluster`);
  // A snapshot plans with the rules of the kind of cluster it was taken from, as in the CLI.
  const kind = TARGET_KINDS[snapshot.source.type];
  let desired = manifests.desiredFor(cluster.name);
  if (kind.adaptDesired) {
    const adapted = kind.adaptDesired(desired);
    assert.deepEqual(adapted.problems.filter((p) => p.severity === 'error'), []);
    desired = adapted.desired;
  }
  const optionsFile = join(dir, 'options.json');
  const extra = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as CaseOptions) : {};
  return plan(desired, live, {
    cluster: { name: cluster.name, type: cluster.type },
    capabilities: kind.capabilities,
    ...(manifests.ignoredConfigPrefixes ? { ignoreConfigPrefixes: manifests.ignoredConfigPrefixes } : {}),
    ...extra,
  });
}

function checkGolden(file: string, actual: string): void {
  if (UPDATE) {
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 and review the diff`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${file} differs: if the change is intended, run with UPDATE_GOLDEN=1 and review the diff`);
}

const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('golden plans', () => {
  it('has cases', () => assert.ok(cases.length > 0));
  for (const name of cases) {
    it(name, async () => {
      const dir = join(ROOT, name);
      const p = await planCase(dir);
      const json = renderJson(p);
      assert.ok(validatePlan(JSON.parse(json)), JSON.stringify(validatePlan.errors, null, 2));
      checkGolden(join(dir, 'plan.txt'), renderText(p, { color: false }));
      checkGolden(join(dir, 'plan.md'), renderMarkdown(p));
      checkGolden(join(dir, 'plan.json'), json);
    });
  }
});
