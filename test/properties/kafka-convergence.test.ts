// Convergence against the real broker: random desired states (topics, partitions, configs in the
// spellings users write, ACL bindings) applied in-process with the real `apply` command through the
// native kafka target, then a second random desired state on top. Each apply must leave an empty
// plan, and nothing outside the case's scope (a neighbour topic whose name only resembles the
// prefix, another principal's binding on an in-scope topic) may change. The model suite
// (convergence.test.ts) checks the planner; this one checks that the broker agrees with it.
// Replay a failure with the KAFKAFORM_SEED / KAFKAFORM_PATH line printed with it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { Admin } from '@platformatic/kafka';
import { apply, plan as planCommand, type Io } from '../../src/commands/index.js';
import type { ConfigInput } from '../../src/kafka/configs.js';
import { CONFIG_MEANINGS } from '../support/arbitraries.js';
import { brokerSkip, requireBrokers, singleClientOptions } from '../support/broker.js';
import { check, Tally } from './runner.js';

/** Keys Apache Kafka 4 accepts on a topic with one replica (confluent.* keys are not its own). */
const KEYS = Object.keys(CONFIG_MEANINGS).filter((k) => !k.startsWith('confluent.')).sort();
const NAMES = ['a', 'b', 'c', 'd'];

/** Binding shapes, instantiated under each case's prefix and principal. */
const BINDINGS = [
  { resourceType: 'TOPIC', name: '', patternType: 'PREFIXED', operation: 'READ', permission: 'ALLOW', host: '*' },
  { resourceType: 'TOPIC', name: 'a', patternType: 'LITERAL', operation: 'WRITE', permission: 'ALLOW', host: '*' },
  { resourceType: 'TOPIC', name: 'b', patternType: 'LITERAL', operation: 'DESCRIBE', permission: 'DENY', host: '10.0.0.1' },
  { resourceType: 'GROUP', name: '', patternType: 'PREFIXED', operation: 'READ', permission: 'ALLOW', host: '*' },
  { resourceType: 'GROUP', name: 'g', patternType: 'LITERAL', operation: 'DESCRIBE', permission: 'ALLOW', host: '*' },
  { resourceType: 'TRANSACTIONAL_ID', name: 'tx', patternType: 'LITERAL', operation: 'WRITE', permission: 'ALLOW', host: '*' },
] as const;

/** A config entry: key, which meaning, which written spelling of it. */
const entries = fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), fc.nat({ max: 3 }), fc.nat({ max: 4 })), { selector: ([k]) => k, maxLength: 3 });
const topicsArb = fc.uniqueArray(fc.record({ name: fc.constantFrom(...NAMES), partitions: fc.integer({ min: 1, max: 3 }), entries }), {
  selector: (t) => t.name,
  minLength: 1,
  maxLength: 3,
});
const desiredArb = fc.record({ topics: topicsArb, acls: fc.subarray([...BINDINGS.keys()]) });
const scenario = fc.record({ first: desiredArb, second: desiredArb });

type Desired = { topics: { name: string; partitions: number; entries: [string, number, number][] }[]; acls: number[] };

function written(key: string, m: number, s: number): ConfigInput {
  // More in-sync replicas than the one replica is refused by validation, not a convergence case.
  const all = key === 'min.insync.replicas' ? CONFIG_MEANINGS[key]!.slice(0, 1) : CONFIG_MEANINGS[key]!;
  const meaning = all[m % all.length]!;
  return meaning.written[s % meaning.written.length]!;
}

/** The manifest of a desired state under prefix `p`; the second state never shrinks a topic. */
function manifest(p: string, d: Desired, floor: ReadonlyMap<string, number>): { yaml: string; partitions: Map<string, number> } {
  const partitions = new Map<string, number>();
  const topics = d.topics.map((t) => {
    const n = Math.max(t.partitions, floor.get(t.name) ?? 0);
    partitions.set(t.name, n);
    const config: Record<string, ConfigInput> = {};
    for (const [k, m, s] of t.entries) config[k] = written(k, m, s);
    return { name: `${p}${t.name}`, partitions: n, replicationFactor: 1, ...(t.entries.length ? { config } : {}) };
  });
  const acls = d.acls.map((i) => {
    const b = BINDINGS[i]!;
    return {
      principal: `User:${p}svc`,
      host: b.host,
      resourceType: b.resourceType,
      resourceName: `${p}${b.name}`,
      patternType: b.patternType,
      operations: [b.operation],
      permission: b.permission,
    };
  });
  const doc = {
    apiVersion: 'kafkaform/v1',
    scope: { topics: [p], groups: [p], transactionalIds: [p], principals: [`User:${p}svc`] },
    topics,
    ...(acls.length ? { acls } : {}),
  };
  return { yaml: stringify(doc), partitions };
}

/**
 * Polls `read` until `ready` holds of its result: the broker applies metadata changes
 * asynchronously, so the neighbours made for a case are awaited before their baseline is taken.
 */
async function visible<T>(read: () => Promise<T>, ready: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (ready(value)) return value;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('the broker never showed the neighbours made for the case');
}

function capture(env: Record<string, string>): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), env, isTTY: false, prompt: async () => 'no' };
}

describe('convergence properties (real Kafka broker)', { skip: brokerSkip() }, () => {
  let dir: string;
  let admin: Admin;
  const env: Record<string, string> = {};
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafkaform-converge-kafka-'));
    admin = new Admin({ clientId: 'kafkaform-test', ...singleClientOptions('admin') });
    const { single } = requireBrokers();
    Object.assign(env, { KAFKA_BOOTSTRAP: single.sasl, KAFKA_USER: 'admin', KAFKA_PASSWORD: single.users.admin });
    writeFileSync(
      join(dir, 'clusters.yaml'),
      'apiVersion: kafkaform/v1\nclusters:\n  dev:\n    type: kafka\n    bootstrapServers: ["${KAFKA_BOOTSTRAP}"]\n    sasl: { mechanism: PLAIN, username: "${KAFKA_USER}", password: "${KAFKA_PASSWORD}" }\n',
    );
  });
  after(async () => {
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What the case must never change: its neighbour topic (name, size, overrides) and the other principal's bindings. */
  async function outside(p: string): Promise<string> {
    const neighbour = `${p.slice(0, -1)}-x`;
    const md = await admin.metadata({ topics: [neighbour], forceUpdate: true });
    const [described] = await admin.describeConfigs({ resources: [{ resourceType: 2, resourceName: neighbour, configurationKeys: ['retention.ms', 'cleanup.policy'] }] });
    const acls = await admin.describeAcls({
      filter: { resourceType: 1, resourceName: null, resourcePatternType: 1, principal: `User:${p}other`, host: null, operation: 1, permissionType: 1 },
    });
    return JSON.stringify({
      partitions: md.topics.get(neighbour)?.partitionsCount,
      configs: described?.configs.map((c) => [c.name, c.value]).sort(),
      acls: acls.flatMap((r) => r.acls.map((a) => `${r.resourceType}/${r.resourceName}/${r.resourcePatternType}/${a.operation}/${a.permissionType}`)).sort(),
    });
  }

  it('random desired states: each apply converges, a second state converges on top, nothing outside the scope moves', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'kafka convergence',
      60,
      fc.asyncProperty(scenario, async (s) => {
        // A fresh prefix per case isolates it from earlier runs and other tests on the broker; the
        // names only label the case, so a replay with the same seed still runs the same states.
        const p = `kc${randomBytes(4).toString('hex')}.`;
        const neighbour = `${p.slice(0, -1)}-x`;
        const other = { resourceType: 2 as const, resourceName: `${p}a`, resourcePatternType: 3 as const, principal: `User:${p}other`, host: '*', operation: 4 as const, permissionType: 3 as const };
        await admin.createTopics({ topics: [neighbour], partitions: 2, replicas: 1, configs: [{ name: 'retention.ms', value: '3600000' }] });
        await admin.createAcls({ creations: [other] });
        try {
          const baseline = await visible(
            () => outside(p),
            (o) => o === JSON.stringify({ partitions: 2, configs: [['cleanup.policy', 'delete'], ['retention.ms', '3600000']], acls: [`2/${p}a/3/4/3`] }),
          );
          let floor = new Map<string, number>();
          for (const [round, d] of [['first', s.first], ['second', s.second]] as const) {
            const m = manifest(p, d, floor);
            floor = m.partitions;
            writeFileSync(join(dir, 'topics.yaml'), m.yaml);
            const io = capture(env);
            const code = await apply({ paths: [dir], cluster: 'dev', autoApprove: true, allowDelete: true, quiet: true }, io);
            assert.equal(code, 0, `${round} apply exited ${code}\n${m.yaml}\nstdout:\n${io.out.join('')}\nstderr:\n${io.err.join('')}`);
            const verify = capture(env);
            const again = await planCommand({ paths: [dir], cluster: 'dev', detailedExitcode: true, allowDelete: true }, verify);
            assert.equal(again, 0, `not converged after the ${round} apply:\n${m.yaml}\n${verify.out.join('')}${verify.err.join('')}\napply said:\n${io.out.join('')}`);
            const summary = /Apply complete: (\d+) created, (\d+) updated, (\d+) deleted/.exec(io.out.join(''));
            ['created', 'updated', 'deleted'].forEach((name, i) => tally.counts.set(name, tally.get(name) + Number(summary?.[i + 1] ?? 0)));
            const live = (await admin.listTopics()).filter((x) => x.startsWith(p)).sort();
            assert.deepEqual(live, d.topics.map((x) => `${p}${x.name}`).sort(), `the ${round} state's topics are not exactly the declared ones`);
            assert.equal(await outside(p), baseline, `the ${round} apply changed something outside the case's scope`);
          }
          tally.bump('cases');
        } finally {
          // The case's own topics and bindings go, so the shared broker does not fill up.
          const topics = (await admin.listTopics()).filter((x) => x.startsWith(p) || x === neighbour);
          if (topics.length) await admin.deleteTopics({ topics });
          await admin.deleteAcls({
            filters: [`User:${p}svc`, `User:${p}other`].map((principal) => ({ resourceType: 1, resourceName: null, resourcePatternType: 1, principal, host: null, operation: 1, permissionType: 1 }) as const),
          });
        }
      }),
      tally,
      { shrink: false },
    );
    // A few hundred operations on the broker in all, of every kind.
    const operations = tally.get('created') + tally.get('updated') + tally.get('deleted');
    assert.ok(operations > 300 && tally.get('updated') > 10 && tally.get('deleted') > 30, tally.toString());
  });
});
