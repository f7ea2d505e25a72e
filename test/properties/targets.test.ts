// Convergence through the real targets: random live states seeded into the Confluent REST v3
// and DigitalOcean simulators (overrides in server spellings, dynamic broker defaults, read-only keys, ACLs) and
// random manifests (units, list order, case), applied with the real `apply` command. Every run
// converges in one apply (the next plan is empty), or is refused with exit 1 and changes nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { apply, plan as planCommand, type Io } from '../../src/commands/index.js';
import type { ConfigInput } from '../../src/kafka/configs.js';
import { CONFIG_MEANINGS } from '../support/arbitraries.js';
import { SIM_CONFIG_NAMES, V3Simulator, type SimAcl } from '../support/v3-simulator.js';
import { DoSimulator, type SimValue } from '../support/do-simulator.js';
import { LosslessNumber } from 'lossless-json';
import { check, Tally } from './runner.js';

const KEYS = Object.keys(CONFIG_MEANINGS).filter((k) => SIM_CONFIG_NAMES.includes(k)).sort();
const NAMES = ['orders.a', 'orders.b', 'orders.c', 'other.x'];

const BINDINGS: SimAcl[] = [
  { resource_type: 'TOPIC', resource_name: 'orders.', pattern_type: 'PREFIXED', principal: 'User:svc', host: '*', operation: 'READ', permission: 'ALLOW' },
  { resource_type: 'TOPIC', resource_name: 'orders.a', pattern_type: 'LITERAL', principal: 'User:svc', host: '*', operation: 'WRITE', permission: 'ALLOW' },
  { resource_type: 'GROUP', resource_name: 'svc', pattern_type: 'LITERAL', principal: 'User:svc', host: '*', operation: 'READ', permission: 'ALLOW' },
  { resource_type: 'TOPIC', resource_name: 'orders.b', pattern_type: 'LITERAL', principal: 'User:svc', host: '10.0.0.1', operation: 'DESCRIBE', permission: 'DENY' },
];

const entries = fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.nat({ max: 3 }), fc.nat({ max: 4 })), { maxLength: 4 });

const scenario = fc.record({
  live: fc.uniqueArray(fc.record({ name: fc.constantFrom(...NAMES), partitions: fc.integer({ min: 1, max: 4 }), entries }), { selector: (t) => t.name }),
  broker: fc.constantFrom<Record<string, string>>({}, { 'log.retention.ms': '86400000' }, { 'log.cleanup.policy': 'compact' }),
  liveAcls: fc.subarray(BINDINGS),
  want: fc.uniqueArray(fc.record({ name: fc.constantFrom(...NAMES.slice(0, 3)), grow: fc.integer({ min: 0, max: 2 }), entries }), { selector: (t) => t.name }),
  wantAcls: fc.subarray(BINDINGS),
  allowDelete: fc.boolean(),
});

function meaning(key: string, m: number): { written: ConfigInput[]; reported: string[] } {
  const all = CONFIG_MEANINGS[key]!;
  return all[m % all.length]!;
}

function capture(): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), env: {}, isTTY: false, prompt: async () => 'no' };
}

function state(sim: V3Simulator): string {
  return JSON.stringify({
    topics: [...sim.topics.values()].map((t) => [t.name, t.partitions, [...t.configs].sort()]).sort(),
    acls: sim.acls.map((a) => JSON.stringify(a)).sort(),
  });
}

describe('convergence through the Confluent target and simulator', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafkaform-converge-v3-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('random live states and manifests: one apply converges, or it is refused and nothing changes', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'confluent convergence',
      80,
      fc.asyncProperty(scenario, async (s) => {
        const sim = await V3Simulator.start({ brokerConfigs: s.broker });
        try {
          for (const l of s.live) {
            const configs: Record<string, string> = {};
            for (const [key, m, sp] of l.entries) configs[key] = meaning(key, m).reported[sp % meaning(key, m).reported.length]!;
            sim.addTopic({ name: l.name, partitions: l.partitions, replicationFactor: 3, configs });
          }
          for (const a of s.liveAcls) sim.addAcl(a);
          const topics = s.want.map((w) => {
            const config: Record<string, ConfigInput> = {};
            for (const [key, m, sp] of w.entries) config[key] = meaning(key, m).written[sp % meaning(key, m).written.length]!;
            const live = s.live.find((l) => l.name === w.name);
            return { name: w.name, partitions: (live?.partitions ?? 1) + w.grow, replicationFactor: 3, ...(Object.keys(config).length ? { config } : {}) };
          });
          writeFileSync(
            join(dir, 'kafka.yaml'),
            stringify({
              apiVersion: 'kafkaform/v1',
              clusters: { sim: { type: 'confluent', restUrl: sim.url, clusterId: sim.clusterId, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } } },
              scope: { topics: ['orders.'], principals: ['User:svc'] },
              topics,
              ...(s.wantAcls.length
                ? {
                    acls: s.wantAcls.map((a) => ({
                      principal: a.principal,
                      host: a.host,
                      resourceType: a.resource_type,
                      resourceName: a.resource_name,
                      patternType: a.pattern_type,
                      operations: [a.operation],
                      permission: a.permission,
                    })),
                  }
                : {}),
            }),
          );
          const before = state(sim);
          const io = capture();
          const code = await apply({ paths: [dir], cluster: 'sim', autoApprove: true, allowDelete: s.allowDelete }, io);
          const stderr = io.err.join('');
          if (code !== 0) {
            assert.equal(code, 1);
            // Refused before any change: an impossible change (read-only key, fewer partitions) or a preflight rejection.
            assert.match(stderr, /the plan has \d+ errors?|preflight|rejected|read-only/i, stderr);
            assert.equal(state(sim), before, 'a refused apply changed the cluster');
            tally.bump('refused, nothing changed');
            return;
          }
          const verify = capture();
          const again = await planCommand({ paths: [dir], cluster: 'sim', detailedExitcode: true, allowDelete: s.allowDelete }, verify);
          assert.equal(again, 0, `not converged after one apply:\n${verify.out.join('')}${verify.err.join('')}\napply said:\n${io.out.join('')}`);
          assert.ok(sim.topics.has('other.x') === s.live.some((l) => l.name === 'other.x'), 'out-of-scope topic touched');
          tally.bump(io.out.join('').includes('Apply complete') ? 'converged after changes' : 'nothing to do');
        } finally {
          await sim.close();
        }
      }),
      tally,
    );
    assert.ok(tally.get('converged after changes') > 20, tally.toString());
  });
});

/** Kafka keys DigitalOcean carries, with values as its simulator stores them (typed, snake_case). */
const DO_VALUES: Record<string, { doKey: string; values: (string | number)[] }> = {
  'retention.ms': { doKey: 'retention_ms', values: [604800000, 86400000, -1, 43200000] },
  'cleanup.policy': { doKey: 'cleanup_policy', values: ['delete', 'compact', 'compact_delete'] },
  'compression.type': { doKey: 'compression_type', values: ['zstd', 'producer', 'lz4'] },
  'min.cleanable.dirty.ratio': { doKey: 'min_cleanable_dirty_ratio', values: ['0.5', '0.1'] },
  'message.timestamp.type': { doKey: 'message_timestamp_type', values: ['create_time', 'log_append_time'] },
  'max.message.bytes': { doKey: 'max_message_bytes', values: [1048576, 1048588] },
  'segment.bytes': { doKey: 'segment_bytes', values: [1073741824, 104857600] },
};
const DO_KEYS = Object.keys(DO_VALUES).sort();
const doEntries = fc.array(fc.tuple(fc.constantFrom(...DO_KEYS), fc.nat({ max: 3 }), fc.nat({ max: 4 })), { maxLength: 4 });
const DO_USER_ACLS = [
  { topic: 'orders.a', permission: 'consume' },
  { topic: 'orders.*', permission: 'produce' },
  { topic: 'orders.b', permission: 'admin' },
];

const doScenario = fc.record({
  live: fc.uniqueArray(fc.record({ name: fc.constantFrom(...NAMES), partitions: fc.integer({ min: 3, max: 5 }), rf: fc.constantFrom(2, 3), entries: doEntries }), { selector: (t) => t.name }),
  userAcl: fc.subarray(DO_USER_ACLS),
  want: fc.uniqueArray(fc.record({ name: fc.constantFrom(...NAMES.slice(0, 3)), grow: fc.integer({ min: 0, max: 2 }), rf: fc.constantFrom(2, 3), entries: doEntries }), { selector: (t) => t.name }),
  roles: fc.subarray([
    { principal: 'User:svc', role: 'consumer', topics: ['orders.a'], groups: ['svc'] },
    { principal: 'User:svc', role: 'producer', topics: ['orders.*'] },
    { principal: 'User:svc', role: 'admin', topics: ['orders.b'] },
  ]),
  allowDelete: fc.boolean(),
});

describe('convergence through the DigitalOcean target and simulator', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafkaform-converge-do-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('random live states and manifests: one apply converges, or it is refused and nothing changes', async (t) => {
    const tally = new Tally();
    await check(
      t,
      'digitalocean convergence',
      60,
      fc.asyncProperty(doScenario, async (s) => {
        const sim = new DoSimulator({ createNotFoundReads: 1, createConfiguringReads: 1 });
        await sim.start();
        try {
          for (const l of s.live) {
            const config: Record<string, SimValue | number> = {};
            for (const [key, m] of l.entries) {
              const spec = DO_VALUES[key]!;
              const v = spec.values[m % spec.values.length]!;
              config[spec.doKey] = typeof v === 'number' ? v : /^[\d.]+$/.test(v) ? new LosslessNumber(v) : v;
            }
            sim.addTopic(l.name, l.partitions, l.rf, config);
          }
          sim.addUser('svc', s.userAcl);
          sim.addUser('bystander', [{ topic: 'orders.*', permission: 'consume' }]);
          const topics = s.want.map((w) => {
            const config: Record<string, ConfigInput> = {};
            for (const [key, m, sp] of w.entries) config[key] = meaning(key, m).written[sp % meaning(key, m).written.length]!;
            const live = s.live.find((l) => l.name === w.name);
            return { name: w.name, partitions: (live?.partitions ?? 3) + w.grow, replicationFactor: w.rf, ...(Object.keys(config).length ? { config } : {}) };
          });
          writeFileSync(
            join(dir, 'kafka.yaml'),
            stringify({
              apiVersion: 'kafkaform/v1',
              clusters: {
                do: {
                  type: 'digitalocean',
                  databaseId: sim.databaseId,
                  token: '${DIGITALOCEAN_TOKEN}',
                  apiUrl: sim.url,
                  retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
                  topicCreation: { pollIntervalMs: 1, timeoutMs: 10000 },
                },
              },
              scope: { topics: ['orders.'] },
              topics,
              ...(s.roles.length ? { acls: s.roles } : {}),
            }),
          );
          const env = { DIGITALOCEAN_TOKEN: sim.token };
          const before = doState(sim);
          const io = { ...capture(), env };
          const code = await apply({ paths: [dir], cluster: 'do', autoApprove: true, allowDelete: s.allowDelete }, io);
          const stderr = io.err.join('');
          assert.equal(doState(sim).bystander, before.bystander, 'a user the manifests do not name was touched');
          if (code !== 0) {
            assert.equal(code, 1);
            assert.match(stderr, /the plan has \d+ errors?|preflight|problem/i, stderr);
            assert.deepEqual(doState(sim), before, 'a refused apply changed the cluster');
            tally.bump('refused, nothing changed');
            return;
          }
          const verify = { ...capture(), env };
          const again = await planCommand({ paths: [dir], cluster: 'do', detailedExitcode: true, allowDelete: s.allowDelete }, verify);
          assert.equal(again, 0, `not converged after one apply:\n${verify.out.join('')}${verify.err.join('')}\napply said:\n${io.out.join('')}`);
          tally.bump(io.out.join('').includes('Apply complete') ? 'converged after changes' : 'nothing to do');
        } finally {
          await sim.close();
        }
      }),
      tally,
    );
    assert.ok(tally.get('converged after changes') > 10, tally.toString());
  });
});

function doState(sim: DoSimulator): { topics: string; bystander: string; svc: string } {
  return {
    topics: JSON.stringify([...sim.topics.values()].map((t) => [t.name, t.partitions, t.replicationFactor, Object.entries(t.config).map(([k, v]) => `${k}=${String(v)}`)]).sort()),
    bystander: JSON.stringify(sim.users.get('bystander')?.acl?.map((a) => [a.topic, a.permission])),
    svc: JSON.stringify(sim.users.get('svc')?.acl?.map((a) => [a.topic, a.permission]).sort()),
  };
}
