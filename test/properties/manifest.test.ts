// Properties through the real manifest path (files on disk → loadManifests → desired state):
// values written with units and in any spelling plan as no change against a cluster holding the
// same values in the server's spelling; plans from loaded manifests converge on the model cluster;
// and an exported manifest loads back and plans as no change against the cluster it came from.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ManifestError } from '../../src/errors.js';
import type { ConfigInput } from '../../src/kafka/configs.js';
import type { LiveState } from '../../src/model.js';
import { loadManifests } from '../../src/manifest/index.js';
import { plan, type PlanOptions } from '../../src/plan/index.js';
import { exportManifest } from '../../src/commands/export.js';
import { renderJson } from '../../src/render/index.js';
import { CONFIG_KEYS, CONFIG_MEANINGS, modelCluster, observation } from '../support/arbitraries.js';
import { executeModelPlan, observe, type ModelCluster } from '../support/model-executor.js';
import { check, Tally } from './runner.js';

const dir = mkdtempSync(join(tmpdir(), 'kafkaform-props-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const KAFKA: PlanOptions['capabilities'] = { dryRun: false, replicationFactorChange: false, principalsMustExist: false, managedConfigPrefixes: [] };
const OPTIONS: PlanOptions = { cluster: { name: 'model', type: 'snapshot' }, capabilities: KAFKA };

async function loadText(text: string, file = 'manifest.yaml'): Promise<ReturnType<Awaited<ReturnType<typeof loadManifests>>['desiredFor']>> {
  const path = join(dir, file);
  writeFileSync(path, text);
  const manifests = await loadManifests([path], { env: {} });
  return manifests.desiredFor('model');
}

/** A topic written with one spelling of a meaning per key, and the server spelling of the same meaning. */
const spelledTopic = fc.record({
  name: fc.constantFrom('orders.a', 'orders.b', 'payments.x', 'legacy.z'),
  partitions: fc.integer({ min: 1, max: 12 }),
  entries: fc.array(fc.tuple(fc.constantFrom(...CONFIG_KEYS), fc.nat({ max: 3 }), fc.nat({ max: 4 }), fc.nat({ max: 3 })), { maxLength: 6 }),
});

describe('properties through the manifest loader', () => {
  it('values in units and other spellings plan as no change against the same values in the server’s spelling', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'units via loadManifests',
      200,
      fc.asyncProperty(fc.uniqueArray(spelledTopic, { selector: (x) => x.name, minLength: 1, maxLength: 3 }), fc.boolean(), async (topics, asJson) => {
        const written: { name: string; partitions: number; replicationFactor: number; config: Record<string, ConfigInput> }[] = [];
        const cluster: ModelCluster = { clusterId: 'c', defaults: {}, topics: [], acls: [] };
        for (const t0 of topics) {
          const config: Record<string, ConfigInput> = {};
          const overrides: Record<string, string> = {};
          for (const [key, m, w, r] of t0.entries) {
            const meanings = CONFIG_MEANINGS[key]!;
            const meaning = meanings[m % meanings.length]!;
            config[key] = meaning.written[w % meaning.written.length]!;
            overrides[key] = meaning.reported[r % meaning.reported.length]!;
          }
          written.push({ name: t0.name, partitions: t0.partitions, replicationFactor: 3, config });
          cluster.topics.push({ name: t0.name, partitions: t0.partitions, replicationFactor: 3, internal: false, overrides, readOnly: [], sensitive: [] });
          tally.bump('config values', Object.keys(config).length > 0);
        }
        const doc = { apiVersion: 'kafkaform/v1', topics: written };
        const desired = await loadText(asJson ? JSON.stringify(doc, null, 1) : stringify(doc));
        for (const obs of [{ keys: 'overrides' as const, inheritedValues: false }, { keys: 'all' as const, inheritedValues: true }]) {
          const p = plan(desired, observe(cluster, obs), OPTIONS);
          assert.deepEqual(p.actions, [], `phantom diff:\n${renderJson(p)}`);
          assert.deepEqual(p.errors, []);
        }
        // And from an empty cluster, the loaded desired state converges in one round.
        const empty: ModelCluster = { clusterId: 'c', defaults: {}, topics: [], acls: [] };
        const first = plan(desired, observe(empty, { keys: 'overrides', inheritedValues: false }), OPTIONS);
        const afterApply = executeModelPlan(empty, first, KAFKA);
        assert.deepEqual(plan(desired, observe(afterApply, { keys: 'all', inheritedValues: true }), OPTIONS).actions, []);
      }),
      tally,
    );
  });

  it('an exported manifest loads back and plans as no change against the cluster it came from', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'export round trip',
      200,
      fc.asyncProperty(modelCluster, observation, fc.constantFrom<string[]>([], ['confluent.']), async (cluster, obs, ignored) => {
        // Only bindings a Kafka cluster can hold: the CLUSTER resource is always the literal kafka-cluster.
        const realistic: ModelCluster = {
          ...cluster,
          acls: cluster.acls.filter((a) => a.resourceType !== 'CLUSTER' || (a.resourceName === 'kafka-cluster' && a.patternType === 'LITERAL')),
        };
        const live: LiveState = observe(realistic, obs);
        const { text, omitted } = exportManifest(live, { cluster: 'model', type: 'snapshot', ignoredConfigPrefixes: ignored });
        let desired;
        try {
          desired = await loadText(text, 'exported.yaml');
        } catch (e) {
          // A cluster may hold what the manifest rules refuse on purpose (min.insync.replicas above
          // the replication factor makes every acks=all write fail): then loading says so, with a place.
          assert.ok(e instanceof ManifestError, `export did not load: ${String(e)}`);
          for (const p of e.problems.filter((x) => x.severity === 'error')) {
            assert.match(p.message, /min\.insync\.replicas/, `unexpected problem in the exported manifest: ${p.message}\n${text}`);
            assert.ok(p.line > 0 && p.file.endsWith('exported.yaml'));
          }
          tally.bump('refused: min.insync.replicas above RF');
          return;
        }
        const p = plan(desired, live, { ...OPTIONS, ignoreConfigPrefixes: ignored });
        assert.deepEqual(p.errors, [], renderJson(p));
        // Sensitive values are never exported: the only differences are resets of exactly those keys,
        // except read-only ones, which no plan resets.
        const resets = p.actions.flatMap((a) => a.changes.map((c) => `topic ${a.resource.kind === 'topic' ? a.resource.name : '?'} config ${c.field.slice(7)} -> ${String(c.to)}`));
        const readOnly = new Set(live.topics.flatMap((t) => Object.entries(t.configs).filter(([, c]) => c.readOnly).map(([k]) => `topic ${t.name} config ${k}`)));
        const expected = omitted.filter((o) => !readOnly.has(o)).map((o) => `${o} -> null`);
        assert.deepEqual(resets, expected, `exported manifest does not round-trip:\n${text}\n${renderJson(p)}`);
        tally.bump('exact round trips', omitted.length === 0);
        tally.bump('with omitted sensitive keys', omitted.length > 0);
      }),
      tally,
    );
  });
});
