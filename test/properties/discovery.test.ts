// Manifest folders with damaged files, through the real loader and planner: random folders of
// manifests, a cluster matching them exactly, and random damage to some files (apiVersion spelt
// or valued wrongly or missing, bytes that are not UTF-8, a file replaced by a broken or looping
// link, a syntax error) plus harmless changes (quoting, CRLF, comments, foreign YAML beside them).
// Whatever the damage, loading either fails or yields the same desired state, so a plan with
// --allow-delete never deletes anything the damaged files declared.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ManifestError } from '../../src/errors.js';
import type { DesiredState, TargetCapabilities } from '../../src/model.js';
import { loadManifests } from '../../src/manifest/index.js';
import { plan, type PlanOptions } from '../../src/plan/index.js';
import { executeModelPlan, observe, type ModelCluster } from '../support/model-executor.js';
import { check, Tally } from './runner.js';

const base = mkdtempSync(join(tmpdir(), 'kafkaform-discovery-'));
after(() => rmSync(base, { recursive: true, force: true }));

const KAFKA: TargetCapabilities = { dryRun: false, replicationFactorChange: false, principalsMustExist: false, managedConfigPrefixes: [] };
const OPTIONS: PlanOptions = { cluster: { name: 'local', type: 'snapshot' }, capabilities: KAFKA, allowDelete: true };
const OBSERVE = { keys: 'overrides', inheritedValues: false } as const;

const TOPICS = [...['orders', 'payments'].flatMap((team) => Array.from({ length: 6 }, (_, i) => `${team}.t${i}`))];
const DIRS = ['', 'team-a', 'team-b/nested'];

/** Damage that loses declarations if the file were skipped: loading must fail. */
const HARMFUL = ['apiversion', 'api_version', 'v1', 'kafkaform.io/v1', 'kafkaform/v2', 'kafkafrom/v1', 'no apiVersion', 'not UTF-8', 'broken link', 'looping link', 'syntax error'] as const;
/** Changes that mean the same: loading must give the same desired state. */
const HARMLESS = ['quoted', 'CRLF', 'comments', 'none'] as const;
type Damage = (typeof HARMFUL)[number] | (typeof HARMLESS)[number];

/** Foreign YAML a repository keeps beside its manifests. */
const FOREIGN: Record<string, string> = {
  'ci.yml': 'name: kafkaform plan\non: [pull_request]\njobs:\n  plan: { runs-on: ubuntu-latest, steps: [{ uses: acme/kafkaform@v1 }] }\n',
  'docker-compose.yml': 'services:\n  kafka: { image: "apache/kafka:4.0.0" }\nconfigs: { server: { file: ./server.properties } }\n',
  'values.yaml': 'replicaCount: 3\nkafka:\n  topics: [orders.t0]\n  acls: []\n',
  'deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }\n',
  'configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: { topics: "orders.t0" }\n',
};

/** One manifest file: where it is, and the topics (with or without an ACL) in each document. */
interface FileSpec {
  dir: string;
  documents: Array<{ topics: string[]; acl: boolean }>;
}

const folder = fc
  .shuffledSubarray(TOPICS, { minLength: 1, maxLength: 8 })
  .chain((topics) =>
    fc.record({
      // Cut points split the topics into files, and each file into one or two documents.
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, topics.length - 1) }), { maxLength: 4 }),
      halves: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      dirs: fc.array(fc.constantFrom(...DIRS), { minLength: 5, maxLength: 5 }),
      acls: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
      topics: fc.constant(topics),
    }),
  )
  .map(({ cuts, halves, dirs, acls, topics }): FileSpec[] => {
    const bounds = [0, ...cuts.filter((c) => c < topics.length).sort((a, b) => a - b), topics.length];
    const files: FileSpec[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const own = topics.slice(bounds[i], bounds[i + 1]);
      if (own.length === 0) continue;
      const split = halves[i] === true && own.length > 1 ? [own.slice(0, 1), own.slice(1)] : [own];
      files.push({ dir: dirs[i] ?? '', documents: split.map((t, j) => ({ topics: t, acl: acls[i * 2 + j] === true })) });
    }
    return files;
  });

function principal(topic: string): string {
  return `User:${topic.replace('.', '-')}`;
}

function documentText(doc: FileSpec['documents'][number]): string {
  const body: Record<string, unknown> = { apiVersion: 'kafkaform/v1', topics: doc.topics.map((name) => ({ name, partitions: 3, replicationFactor: 3 })) };
  if (doc.acl) body['acls'] = doc.topics.map((t) => ({ principal: principal(t), role: 'consumer', topics: [t], groups: [t] }));
  return stringify(body);
}

/** The scope owns every topic prefix and every principal any file may name. */
const CLUSTERS = stringify({
  apiVersion: 'kafkaform/v1',
  clusters: { local: { type: 'snapshot', path: './live.json' } },
  scope: { topics: ['orders.', 'payments.'], principals: TOPICS.map(principal) },
});

function fileName(spec: FileSpec, i: number): string {
  return join(spec.dir, `m${i}.yaml`);
}

function write(root: string, rel: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

/** Writes the file with `damage` applied (`doc`: which document the apiVersion damage hits). */
function writeDamaged(root: string, rel: string, docs: string[], damage: Damage, doc: number, at: number): void {
  const hit = doc % docs.length;
  const edit = (f: (d: string) => string): string => docs.map((d, i) => (i === hit ? f(d) : d)).join('---\n');
  const full = join(root, rel);
  switch (damage) {
    case 'apiversion':
    case 'api_version':
      return write(root, rel, edit((d) => d.replace('apiVersion:', `${damage}:`)));
    case 'v1':
    case 'kafkaform.io/v1':
    case 'kafkaform/v2':
    case 'kafkafrom/v1':
      return write(root, rel, edit((d) => d.replace('apiVersion: kafkaform/v1', `apiVersion: ${damage}`)));
    case 'no apiVersion':
      return write(root, rel, edit((d) => d.replace('apiVersion: kafkaform/v1\n', '')));
    case 'not UTF-8': {
      const bytes = Buffer.from(docs.join('---\n'));
      const cut = at % (bytes.length + 1);
      return write(root, rel, Buffer.concat([bytes.subarray(0, cut), Buffer.from([0xff, 0xfe]), bytes.subarray(cut)]));
    }
    case 'broken link':
      mkdirSync(dirname(full), { recursive: true });
      return symlinkSync(`${full}.moved`, full);
    case 'looping link':
      mkdirSync(dirname(full), { recursive: true });
      return symlinkSync(full, full);
    case 'syntax error':
      return write(root, rel, edit((d) => `${d}extra: [unclosed\n`));
    case 'quoted':
      return write(root, rel, edit((d) => d.replace('apiVersion: kafkaform/v1', 'apiVersion: "kafkaform/v1"')));
    case 'CRLF':
      return write(root, rel, docs.join('---\n').replace(/\n/g, '\r\n'));
    case 'comments':
      return write(root, rel, `# owned by the ${rel} team\n${edit((d) => `${d}# end\n`)}`);
    case 'none':
      return write(root, rel, docs.join('---\n'));
  }
}

function withoutSources(desired: DesiredState): unknown {
  return JSON.parse(JSON.stringify(desired, (k, v: unknown) => (k === 'source' ? undefined : v)));
}

/** Most files stay intact, so that folders whose damage is all harmless come up often too. */
const damage: fc.Arbitrary<Damage> = fc.oneof(
  { arbitrary: fc.constant<Damage>('none'), weight: 8 },
  { arbitrary: fc.constantFrom<Damage>(...HARMLESS), weight: 3 },
  { arbitrary: fc.constantFrom<Damage>(...HARMFUL), weight: 2 },
);

let cases = 0;

describe('damaged manifest folders', () => {
  it('never plan the deletion of what a damaged file declares: loading fails, or nothing changed', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'damaged folders',
      150,
      fc.asyncProperty(
        folder,
        fc.array(fc.tuple(damage, fc.nat(), fc.nat()), { minLength: 6, maxLength: 6 }),
        fc.subarray(Object.keys(FOREIGN)),
        fc.constantFrom(...DIRS),
        async (files, damages, foreign, foreignDir) => {
          const root = join(base, `case-${cases++}`);
          const clean = join(root, 'clean');
          const damaged = join(root, 'damaged');
          write(clean, 'clusters.yaml', CLUSTERS);
          files.forEach((f, i) => write(clean, fileName(f, i), f.documents.map(documentText).join('---\n')));
          const desired = (await loadManifests([clean], { env: {} })).desiredFor('local');

          // The cluster holds exactly what the clean folder declares.
          const empty: ModelCluster = { clusterId: 'c', defaults: {}, topics: [], acls: [] };
          const cluster = executeModelPlan(empty, plan(desired, observe(empty, OBSERVE), OPTIONS), KAFKA);
          const live = observe(cluster, OBSERVE);
          assert.deepEqual(plan(desired, live, OPTIONS).actions, []);

          // The same folder, damaged; the clusters file (the scope) may be damaged too.
          const targets = [{ rel: 'clusters.yaml', docs: [CLUSTERS] }, ...files.map((f, i) => ({ rel: fileName(f, i), docs: f.documents.map(documentText) }))];
          let harmful = false;
          targets.forEach(({ rel, docs }, i) => {
            const [damage, doc, at] = damages[i] ?? ['none', 0, 0];
            writeDamaged(damaged, rel, docs, damage, doc, at);
            harmful ||= (HARMFUL as readonly string[]).includes(damage);
            tally.bump(damage);
          });
          for (const name of foreign) write(damaged, join(foreignDir, name), FOREIGN[name] ?? '');
          tally.bump('with foreign YAML', foreign.length > 0);

          let loaded: DesiredState | undefined;
          try {
            loaded = (await loadManifests([damaged], { env: {} })).desiredFor('local');
          } catch (e) {
            if (!(e instanceof ManifestError)) throw e;
            assert.ok(e.problems.some((p) => p.severity === 'error'));
          }
          if (loaded === undefined) {
            tally.bump('refused');
            assert.ok(harmful, 'only damage that loses declarations makes loading fail');
          } else {
            tally.bump('loaded');
            assert.ok(!harmful, 'damage that loses declarations was loaded without an error');
            assert.deepEqual(withoutSources(loaded), withoutSources(desired));
            const p = plan(loaded, live, OPTIONS);
            assert.deepEqual(p.actions, [], 'the damaged folder plans a change');
          }
          rmSync(root, { recursive: true, force: true });
        },
      ),
      tally,
    );
  });
});
