// Adoption round trip through the real manifest path: a random cluster → adopted files on disk
// (whole or by prefix, in one folder or split) → loadManifests → plan against the same cluster,
// with --allow-delete: nothing to do but reset the sensitive values adoption never writes.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { ManifestError } from '../../src/errors.js';
import type { AclBinding, LiveState } from '../../src/model.js';
import { loadManifests } from '../../src/manifest/index.js';
import { expandAcl } from '../../src/manifest/acls.js';
import { ACL_ROLES, type WrittenAclRole } from '../../src/manifest/written.js';
import { plan, type PlanOptions } from '../../src/plan/index.js';
import { adopt, adoptedFiles } from '../../src/adopt/index.js';
import { renderJson } from '../../src/render/index.js';
import { PRINCIPALS, modelCluster, observation } from '../support/arbitraries.js';
import { observe, type ModelCluster } from '../support/model-executor.js';
import { check, Tally } from './runner.js';

const root = mkdtempSync(join(tmpdir(), 'kafkaform-adopt-'));
after(() => rmSync(root, { recursive: true, force: true }));

const KAFKA: PlanOptions['capabilities'] = { dryRun: false, replicationFactorChange: false, principalsMustExist: false, managedConfigPrefixes: [] };

/** Bindings as a role grants them, so that role grouping is exercised, not only explicit entries. */
const roleBindings: fc.Arbitrary<AclBinding[]> = fc
  .array(
    fc.record({
      principal: fc.constantFrom(...PRINCIPALS),
      role: fc.constantFrom(...ACL_ROLES),
      topics: fc.subarray(['orders.a', 'orders.*', 'payments.x', '*']),
      groups: fc.subarray(['billing', 'orders.*']),
      host: fc.constantFrom(undefined, '10.0.0.1'),
      permission: fc.constantFrom(undefined, 'DENY' as const),
    }),
    { maxLength: 4 },
  )
  .map((entries) =>
    entries.flatMap(({ host, permission, ...e }) => {
      const entry: WrittenAclRole = { ...e, ...(host ? { host } : {}), ...(permission ? { permission } : {}) };
      return expandAcl(entry, '', () => ({ file: '', line: 0, column: 0, path: '' })).map(({ source: _, ...b }) => b);
    }),
  );

let run = 0;

describe('adoption round trip', () => {
  it('adopted manifests load back and plan as no change, even with --allow-delete', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'adopt round trip',
      150,
      fc.asyncProperty(
        modelCluster,
        roleBindings,
        observation,
        fc.constantFrom<string[]>([], ['confluent.']),
        fc.constantFrom<string[]>([], ['orders.'], ['orders.', 'payments.']),
        fc.boolean(),
        async (cluster, extra, obs, ignored, prefixes, split) => {
          const keys = new Set<string>();
          // Only bindings a Kafka cluster can hold: the CLUSTER resource is always the literal kafka-cluster.
          const acls = [...cluster.acls, ...extra].filter((a) => {
            const key = JSON.stringify(a);
            if (keys.has(key)) return false;
            keys.add(key);
            return a.resourceType !== 'CLUSTER' || (a.resourceName === 'kafka-cluster' && a.patternType === 'LITERAL');
          });
          const realistic: ModelCluster = { ...cluster, acls };
          const live: LiveState = observe(realistic, obs);
          const adopted = adopt(live, { ignoredConfigPrefixes: ignored, prefixes });
          const dir = join(root, String(run++));
          const files = adoptedFiles(adopted, { header: ['property'], splitByPrefix: split });
          if (files.length === 0) {
            // Nothing to declare: only an empty selection has no file at all.
            assert.deepEqual([adopted.topics, adopted.acls, adopted.scope], [[], [], {}]);
            tally.bump('nothing to adopt');
            return;
          }
          for (const f of files) {
            mkdirSync(dirname(join(dir, f.path)), { recursive: true });
            writeFileSync(join(dir, f.path), f.text);
          }
          let desired;
          try {
            desired = (await loadManifests([dir], { env: {} })).desiredFor('model');
          } catch (e) {
            // A cluster may hold what the manifest rules refuse on purpose (min.insync.replicas above
            // the replication factor makes every acks=all write fail).
            assert.ok(e instanceof ManifestError, `adopted manifests did not load: ${String(e)}`);
            for (const p of e.problems.filter((x) => x.severity === 'error')) assert.match(p.message, /min\.insync\.replicas/, p.message);
            tally.bump('refused: min.insync.replicas above RF');
            return;
          }
          const p = plan(desired, live, { cluster: { name: 'model', type: 'snapshot' }, capabilities: KAFKA, ignoreConfigPrefixes: ignored, allowDelete: true });
          assert.deepEqual(p.errors, [], renderJson(p));
          assert.deepEqual(p.heldBack, []);
          // Only the sensitive values adoption never writes differ, except read-only ones no plan resets.
          const changes = p.actions.flatMap((a) => a.changes.map((c) => `${a.action} ${a.resource.kind === 'topic' ? `topic ${a.resource.name}` : 'acl'} ${c.field} -> ${String(c.to)}`));
          const readOnly = new Set(live.topics.flatMap((x) => Object.entries(x.configs).filter(([, c]) => c.readOnly).map(([k]) => `${x.name}\u0000${k}`)));
          const expected = adopted.omitted.filter((o) => !readOnly.has(`${o.topic}\u0000${o.key}`)).map((o) => `update topic ${o.topic} config.${o.key} -> null`);
          assert.deepEqual(changes, expected, renderJson(p));
          assert.equal(p.actions.filter((a) => a.resource.kind === 'acl' || a.action !== 'update').length, 0, renderJson(p));
          tally.bump('exact round trips', adopted.omitted.length === 0);
          tally.bump('with topicDefaults config', adopted.topicDefaults?.config !== undefined);
          tally.bump('with role entries', adopted.acls.some((a) => 'role' in a));
          tally.bump('split', split);
          tally.bump('by prefix', prefixes.length > 0);
        },
      ),
      tally,
    );
  });
});
