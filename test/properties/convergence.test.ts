// Convergence, scope and determinism of the planner, checked against an independent model of a
// cluster (test/support/model-executor.ts) on thousands of random desired and live states.
// Replay a failure with the KAFKAFORM_SEED / KAFKAFORM_PATH line printed with it; soak with KAFKAFORM_SOAK=1.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import jsonpatch from 'fast-json-patch';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { DesiredState, JsonValue, LiveState, Plan, PlanAction, PlanResource } from '../../src/model.js';
import { fingerprint, plan, REDACTED } from '../../src/plan/index.js';
import { renderJson } from '../../src/render/index.js';
import { applyAction } from '../../src/targets/snapshot/mutate.js';
import { world, type World } from '../support/arbitraries.js';
import { executeModelPlan, isProtected, observe, type ModelCluster } from '../support/model-executor.js';
import { ownedByManifests } from '../support/ownership-oracle.js';
import { check, Tally } from './runner.js';

const validatePlan = new Ajv2020({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object,
);

function planOf(w: World, cluster: ModelCluster = w.cluster): { live: LiveState; plan: Plan } {
  const live = observe(cluster, w.observation);
  return { live, plan: plan(w.desired, live, w.options) };
}

function topicNames(c: ModelCluster): string[] {
  return c.topics.map((t) => t.name).sort();
}

function inTopicScope(d: DesiredState, name: string): boolean {
  return d.scope.topicPrefixes.some((p) => name.startsWith(p));
}

/** A topic as the patches see it: its size and the overrides set on it (canonical, as observed). */
function topicView(live: LiveState, name: string): { [key: string]: JsonValue } | undefined {
  const t = live.topics.find((x) => x.name === name);
  if (!t) return undefined;
  const config: { [key: string]: JsonValue } = {};
  for (const [k, c] of Object.entries(t.configs)) if (c.setOnTopic) config[k] = c.sensitive ? REDACTED : c.value;
  return { config, name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor };
}

function withoutSensitive(view: JsonValue, sensitiveKeys: ReadonlySet<string>): JsonValue {
  if (view === null || typeof view !== 'object' || Array.isArray(view)) return view;
  const config = view['config'];
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return view;
  return { ...view, config: Object.fromEntries(Object.entries(config).filter(([k]) => !sensitiveKeys.has(k))) };
}

function sensitiveKeys(c: ModelCluster, name: string): Set<string> {
  return new Set(c.topics.find((t) => t.name === name)?.sensitive ?? []);
}

describe('convergence properties (model cluster)', () => {
  it('one round converges: applying an error-free plan leaves nothing to do', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'convergence',
      2000,
      fc.property(world, (w) => {
        const first = planOf(w);
        tally.bump('plans with errors', first.plan.errors.length > 0);
        if (first.plan.errors.length > 0) return;
        tally.bump('error-free');
        tally.bump('error-free with actions', first.plan.actions.length > 0);
        tally.bump('with config changes', first.plan.actions.some((a) => a.phase === 3));
        tally.bump('with config resets', first.plan.actions.some((a) => a.changes.some((c) => c.field.startsWith('config.') && c.to === null)));
        tally.bump('with topic deletes', first.plan.actions.some((a) => a.phase === 6));
        tally.bump('with ACL deletes', first.plan.actions.some((a) => a.phase === 5));
        const after = executeModelPlan(w.cluster, first.plan, w.options.capabilities);
        const second = planOf(w, after);
        assert.deepEqual(second.plan.actions, [], `the second plan still has actions:\n${renderJson(second.plan)}`);
        assert.deepEqual(second.plan.errors, []);
        // Whatever is held back or unmanaged is still reported the same way after the apply.
        assert.deepEqual(second.plan.heldBack.map((h) => h.resource), first.plan.heldBack.map((h) => h.resource));
      }),
      tally,
    );
    assert.ok(tally.get('error-free with actions') > 200, `too few meaningful cases: ${tally.toString()}`);
    assert.ok(tally.get('with config resets') > 20 && tally.get('with topic deletes') > 20 && tally.get('with ACL deletes') > 20, tally.toString());
  });

  it('the snapshot target’s own mutation of a live state converges too (differential against the model)', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'snapshot target convergence',
      1000,
      fc.property(world, (w) => {
        const first = planOf(w);
        if (first.plan.errors.length > 0) return;
        const live = structuredClone(first.live);
        for (const action of first.plan.actions) applyAction(live, action, w.options.capabilities);
        const second = plan(w.desired, live, w.options);
        assert.deepEqual(second.actions, [], `the snapshot target did not converge:\n${renderJson(second)}`);
        // Same topics and bindings as the model cluster ends with.
        const model = observe(executeModelPlan(w.cluster, first.plan, w.options.capabilities), w.observation);
        assert.deepEqual(live.topics.map((x) => [x.name, x.partitions, x.replicationFactor]), model.topics.map((x) => [x.name, x.partitions, x.replicationFactor]));
        assert.deepEqual(new Set(live.acls.map((a) => JSON.stringify(a))), new Set(model.acls.map((a) => JSON.stringify(a))));
        tally.bump('error-free plans applied', first.plan.actions.length > 0);
      }),
      tally,
    );
  });

  it('never touches anything out of scope, internal topics, or (without --allow-delete) any topic’s existence', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'scope',
      2000,
      fc.property(world, (w) => {
        const { live, plan: p } = planOf(w);
        const desiredTopics = new Set(w.desired.topics.map((x) => x.name));
        const liveTopics = new Map(w.cluster.topics.map((x) => [x.name, x]));
        const desiredAcls = new Set(w.desired.acls.map((a) => JSON.stringify([a.principal, a.host, a.resourceType, a.resourceName, a.patternType, a.operation, a.permission])));
        for (const a of p.actions) {
          const r = a.resource;
          if (r.kind === 'topic') {
            const live = liveTopics.get(r.name);
            assert.ok(!r.name.startsWith('_') && !(live && isProtected(live)), `internal topic ${r.name} touched: ${a.action}`);
            if (a.action === 'delete') {
              assert.ok(w.options.allowDelete === true, `topic ${r.name} deleted without --allow-delete`);
              assert.ok(inTopicScope(w.desired, r.name), `topic ${r.name} deleted out of scope`);
              assert.ok(!desiredTopics.has(r.name), `declared topic ${r.name} deleted`);
              assert.ok(live !== undefined, `deleting a topic that does not exist: ${r.name}`);
              tally.bump('topic deletes');
            } else {
              assert.ok(desiredTopics.has(r.name), `undeclared topic ${r.name} ${a.action}d`);
              assert.equal(a.action === 'create', live === undefined, `${a.action} of ${r.name} but it ${live ? 'exists' : 'does not exist'}`);
            }
          } else {
            const key = JSON.stringify([r.principal, r.host, r.resourceType, r.resourceName, r.patternType, r.operation, r.permission]);
            if (a.action === 'create') assert.ok(desiredAcls.has(key), `undeclared binding created: ${key}`);
            else {
              assert.equal(a.action, 'delete');
              assert.ok(ownedByManifests(w.desired, r), `binding the manifests do not own deleted: ${key}`);
              assert.ok(!desiredAcls.has(key), `declared binding deleted: ${key}`);
              tally.bump('ACL deletes');
            }
          }
        }
        // Each undeclared live binding is deleted exactly when the manifests own it, and listed as
        // unmanaged otherwise.
        const aclKeys = (rs: PlanResource[]): Set<string> =>
          new Set(rs.flatMap((r) => (r.kind === 'acl' ? [JSON.stringify([r.principal, r.host, r.resourceType, r.resourceName, r.patternType, r.operation, r.permission])] : [])));
        const deleted = aclKeys(p.actions.filter((a) => a.action === 'delete').map((a) => a.resource));
        const unmanagedAcls = aclKeys(p.unmanaged);
        for (const b of live.acls) {
          const key = JSON.stringify([b.principal, b.host, b.resourceType, b.resourceName, b.patternType, b.operation, b.permission]);
          if (desiredAcls.has(key)) continue;
          const owned = ownedByManifests(w.desired, b);
          assert.equal(deleted.has(key), owned, `owned ${String(owned)} but ${deleted.has(key) ? '' : 'not '}deleted: ${key}`);
          assert.equal(unmanagedAcls.has(key), !owned, `owned ${String(owned)} but ${unmanagedAcls.has(key) ? '' : 'not '}listed as unmanaged: ${key}`);
          tally.bump(owned ? 'owned undeclared bindings' : 'unmanaged bindings');
        }
        // Out-of-scope live topics are listed as unmanaged, never acted on; in-scope ones without
        // --allow-delete are held back.
        for (const topic of w.cluster.topics) {
          if (desiredTopics.has(topic.name) || isProtected(topic)) continue;
          const acted = p.actions.some((a) => a.resource.kind === 'topic' && a.resource.name === topic.name);
          if (!inTopicScope(w.desired, topic.name)) {
            assert.ok(!acted);
            assert.ok(p.unmanaged.some((u) => u.kind === 'topic' && u.name === topic.name), `unmanaged topic ${topic.name} not listed`);
            tally.bump('unmanaged topics');
          } else if (!w.options.allowDelete) {
            assert.ok(p.heldBack.some((h) => h.resource.kind === 'topic' && h.resource.name === topic.name), `${topic.name} not held back`);
            tally.bump('held back');
          }
        }
        // Executing an error-free plan: the cluster's other resources are exactly as before.
        if (p.errors.length === 0) {
          const after = executeModelPlan(w.cluster, p, w.options.capabilities);
          const untouched = (c: ModelCluster): unknown =>
            JSON.parse(
              JSON.stringify({
                topics: c.topics.filter((x) => isProtected(x) || (!desiredTopics.has(x.name) && !(w.options.allowDelete && inTopicScope(w.desired, x.name)))),
                // Bindings neither declared nor owned.
                acls: c.acls
                  .filter((b) => !ownedByManifests(w.desired, b) && !desiredAcls.has(JSON.stringify([b.principal, b.host, b.resourceType, b.resourceName, b.patternType, b.operation, b.permission])))
                  .map((b) => JSON.stringify(b))
                  .sort(),
              }),
            );
          assert.deepEqual(untouched(after), untouched(w.cluster));
          if (!w.options.allowDelete) {
            const before = new Set(topicNames(w.cluster));
            assert.ok(topicNames(w.cluster).every((n) => topicNames(after).includes(n)), 'a topic vanished without --allow-delete');
            assert.ok(topicNames(after).every((n) => before.has(n) || desiredTopics.has(n)), 'an undeclared topic appeared');
          }
        }
        tally.bump('live topics', live.topics.length > 0);
      }),
      tally,
    );
    assert.ok(tally.get('topic deletes') > 50 && tally.get('ACL deletes') > 50 && tally.get('unmanaged topics') > 50, tally.toString());
    assert.ok(tally.get('owned undeclared bindings') > 100 && tally.get('unmanaged bindings') > 100, tally.toString());
  });

  it('each action’s RFC 6902 patch, applied to the live resource, gives what the model cluster holds afterwards', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'patches',
      1000,
      fc.property(world, (w) => {
        const { plan: p } = planOf(w);
        if (p.errors.length > 0) return;
        let cluster = w.cluster;
        for (const action of p.actions) {
          const before = observe(cluster, w.observation);
          const next = executeModelPlan(cluster, { ...p, actions: [action] }, w.options.capabilities);
          const after = observe(next, w.observation);
          checkPatch(action, before, after, sensitiveKeys(cluster, action.resource.kind === 'topic' ? action.resource.name : ''));
          tally.bump(`${action.action} patches`);
          cluster = next;
        }
      }),
      tally,
    );
  });

  it('is deterministic: the same bytes for shuffled inputs, and the fingerprint names the live state', async (t) => {
    await check(
      t,
      'determinism',
      2000,
      fc.property(world, fc.infiniteStream(fc.nat()), (w, randoms) => {
        const live = observe(w.cluster, w.observation);
        const expected = renderJson(plan(w.desired, live, w.options));
        const rand = (): number => randoms.next().value as number;
        const desired: DesiredState = {
          topics: shuffle(w.desired.topics, rand).map((x) => ({ ...x, config: shuffleRecord(x.config, rand) })),
          acls: shuffle(w.desired.acls, rand),
          scope: {
            ...w.desired.scope,
            topicPrefixes: shuffle(w.desired.scope.topicPrefixes, rand),
            groupPrefixes: shuffle(w.desired.scope.groupPrefixes, rand),
            transactionalIdPrefixes: shuffle(w.desired.scope.transactionalIdPrefixes, rand),
            principals: shuffle(w.desired.scope.principals, rand),
          },
        };
        const shuffledLive: LiveState = {
          ...live,
          topics: shuffle(live.topics, rand).map((x) => ({ ...x, configs: shuffleRecord(x.configs, rand) })),
          acls: shuffle(live.acls, rand),
          ...(live.principals ? { principals: shuffle(live.principals, rand) } : {}),
        };
        const again = plan(desired, shuffledLive, w.options);
        assert.equal(renderJson(again), expected);
        assert.equal(again.fingerprint, fingerprint(live));
        assert.ok(validatePlan(JSON.parse(expected)), JSON.stringify(validatePlan.errors));
        // The summary counts distinct resources per kind of action.
        const distinct = (kind: PlanAction['action']): number =>
          new Set(again.actions.filter((a) => a.action === kind).map((a) => JSON.stringify(a.resource))).size;
        assert.deepEqual(again.summary, { create: distinct('create'), update: distinct('update'), delete: distinct('delete'), errors: again.errors.length });
      }),
    );
  });

  it('the fingerprint changes whenever the live state does', async (t) => {
    await check(
      t,
      'fingerprint',
      500,
      fc.property(world, (w) => {
        const { live, plan: p } = planOf(w);
        if (p.errors.length > 0 || p.actions.length === 0) return;
        const after = observe(executeModelPlan(w.cluster, p, w.options.capabilities), w.observation);
        if (JSON.stringify(after) !== JSON.stringify(live)) assert.notEqual(fingerprint(after), fingerprint(live));
      }),
    );
  });
});

function checkPatch(action: PlanAction, before: LiveState, after: LiveState, hidden: ReadonlySet<string>): void {
  const r = action.resource;
  if (r.kind === 'acl') {
    const { kind: _kind, ...binding } = r;
    assert.deepEqual(action.patch, action.action === 'create' ? [{ op: 'add', path: '', value: binding }] : [{ op: 'remove', path: '' }]);
    return;
  }
  if (action.action === 'delete') {
    assert.deepEqual(action.patch, [{ op: 'remove', path: '' }]);
    assert.equal(topicView(after, r.name), undefined);
    return;
  }
  const start = action.action === 'create' ? {} : (topicView(before, r.name) as JsonValue);
  const doc = jsonpatch.deepClone(start) as JsonValue;
  // validateOperation=true: a `replace` or `remove` of a key the live resource lacks is an error.
  const patched = jsonpatch.applyPatch(doc, jsonpatch.deepClone(action.patch) as jsonpatch.Operation[], true, true).newDocument as JsonValue;
  assert.deepEqual(withoutSensitive(patched, hidden), withoutSensitive(topicView(after, r.name) as JsonValue, hidden), `patch of ${action.action} ${r.name}`);
}

function shuffle<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rand() % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function shuffleRecord<T>(record: Record<string, T>, rand: () => number): Record<string, T> {
  return Object.fromEntries(shuffle(Object.entries(record), rand));
}

