import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { ConfigError, PlanRefusedError } from '../../../src/errors.js';
import type { ClusterSpec, PlanAction, TargetCapabilities } from '../../../src/model.js';
import { lockSnapshot, parseSnapshot, serializeSnapshot, writeFileAtomic, type Snapshot } from '../../../src/targets/snapshot/file.js';
import { applyAction, MutationRefused } from '../../../src/targets/snapshot/mutate.js';
import { openSnapshot, SnapshotTarget } from '../../../src/targets/snapshot/index.js';
import { TARGET_KINDS, rulesOf } from '../../../src/targets/index.js';

const PLAIN: TargetCapabilities = { dryRun: false, replicationFactorChange: false, principalsMustExist: false, managedConfigPrefixes: [] };
const CTX = { log: () => undefined, debug: false };

function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    formatVersion: 1,
    source: { type: 'snapshot' },
    clusterId: 'lkc-test',
    topics: [
      {
        name: 'orders.v1',
        partitions: 3,
        replicationFactor: 3,
        internal: false,
        configs: {
          'retention.ms': { value: '86400000', setOnTopic: true, source: 'DYNAMIC_TOPIC_CONFIG', inheritedValue: '604800000', readOnly: false, sensitive: false },
          'cleanup.policy': { value: 'delete', setOnTopic: false, source: 'DEFAULT_CONFIG', readOnly: false, sensitive: false },
          'message.format.version': { value: '3.0-IV1', setOnTopic: true, source: 'DYNAMIC_TOPIC_CONFIG', readOnly: true, sensitive: false },
        },
      },
    ],
    acls: [
      { principal: 'User:b', host: '*', resourceType: 'TOPIC', resourceName: 'orders.', patternType: 'PREFIXED', operation: 'READ', permission: 'ALLOW' },
      { principal: 'User:a', host: '*', resourceType: 'TOPIC', resourceName: 'orders.v1', patternType: 'LITERAL', operation: 'WRITE', permission: 'ALLOW' },
    ],
    ...over,
  };
}

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'kafkaform-snapshot-'));
}

function spec(baseDir: string, path: string): ClusterSpec {
  return { name: 'offline', type: 'snapshot', settings: { path }, baseDir, source: { file: join(baseDir, 'clusters.yaml'), line: 3, column: 3, path: '/clusters/offline' } };
}

const createTopic: PlanAction = {
  phase: 1,
  action: 'create',
  resource: { kind: 'topic', name: 'payments.v1' },
  changes: [
    { field: 'partitions', from: null, to: 6 },
    { field: 'replicationFactor', from: null, to: 3 },
    { field: 'config.retention.ms', from: null, to: '3600000' },
  ],
  patch: [],
};
const resetRetention: PlanAction = {
  phase: 3,
  action: 'update',
  resource: { kind: 'topic', name: 'orders.v1' },
  changes: [{ field: 'config.retention.ms', from: '86400000', to: null }],
  patch: [],
};
const createAcl: PlanAction = {
  phase: 4,
  action: 'create',
  resource: { kind: 'acl', principal: 'User:c', host: '*', resourceType: 'GROUP', resourceName: 'billing', patternType: 'LITERAL', operation: 'READ', permission: 'ALLOW' },
  changes: [],
  patch: [],
};

describe('snapshot file', () => {
  it('serialises deterministically: sorted topics, configs and ACLs, fixed key order, trailing newline', () => {
    const text = serializeSnapshot(snapshot());
    assert.equal(text, serializeSnapshot(parseSnapshot(text, 'x.json')));
    const parsed = JSON.parse(text) as Snapshot;
    assert.deepEqual(Object.keys(parsed), ['formatVersion', 'source', 'clusterId', 'topics', 'acls']);
    assert.deepEqual(Object.keys(parsed.topics[0]!.configs), ['cleanup.policy', 'message.format.version', 'retention.ms']);
    assert.deepEqual(parsed.acls.map((a) => a.principal), ['User:a', 'User:b']);
    assert.ok(text.endsWith('}\n'));
  });

  it('keeps a kafka cluster\'s lack of ACLs (no authorizer) and its kind', () => {
    const text = serializeSnapshot({ formatVersion: 1, source: { type: 'kafka' }, clusterId: 'c', topics: [], acls: [], aclsUnavailable: 'no authorizer' });
    const back = parseSnapshot(text, 'x.json');
    assert.equal(back.aclsUnavailable, 'no authorizer');
    assert.equal(back.source.type, 'kafka');
    const withAcls = serializeSnapshot({ formatVersion: 1, source: { type: 'kafka' }, clusterId: 'c', topics: [], acls: [] });
    assert.doesNotMatch(withAcls, /aclsUnavailable/);
  });

  it('never writes a sensitive value', () => {
    const s = snapshot();
    s.topics[0]!.configs['sasl.secret'] = { value: 'hunter2', setOnTopic: true, source: 'DYNAMIC_TOPIC_CONFIG', readOnly: false, sensitive: true };
    assert.doesNotMatch(serializeSnapshot(s), /hunter2/);
  });

  it('rejects files that do not match the schema, naming where', () => {
    const bad = JSON.parse(serializeSnapshot(snapshot())) as { topics: { partitions: unknown }[] };
    bad.topics[0]!.partitions = 'three';
    assert.throws(() => parseSnapshot(JSON.stringify(bad), 'live.json'), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /^snapshot live\.json does not match schemas\/snapshot\.schema\.json: \/topics\/0\/partitions must be integer/);
      return true;
    });
    assert.throws(() => parseSnapshot('{"formatVersion": 1,', 'live.json'), /snapshot live\.json is not valid JSON/);
    const twice = snapshot();
    twice.topics.push(structuredClone(twice.topics[0]!));
    assert.throws(() => parseSnapshot(JSON.stringify(twice), 'live.json'), /lists topic "orders\.v1" twice/);
  });

  it('replaces a file atomically and leaves no temporary file behind', async () => {
    const d = dir();
    const file = join(d, 'live.json');
    writeFileSync(file, 'old\n');
    await writeFileAtomic(file, 'new\n');
    assert.equal(readFileSync(file, 'utf8'), 'new\n');
    assert.deepEqual(readdirSync(d), ['live.json']);
  });

  it('a process killed while rewriting the file leaves a complete file, old or new', async () => {
    const d = dir();
    const file = join(d, 'live.json');
    const big = (n: number): string => {
      const s = snapshot();
      s.topics = Array.from({ length: 3000 }, (_, i) => ({ ...structuredClone(snapshot().topics[0]!), name: `t${n}.${String(i).padStart(5, '0')}` }));
      return serializeSnapshot(s);
    };
    const a = big(1);
    const b = big(2);
    writeFileSync(join(d, 'a.txt'), a);
    writeFileSync(join(d, 'b.txt'), b);
    writeFileSync(file, a);
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-writer.ts'), file, join(d, 'a.txt'), join(d, 'b.txt')], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let writes = 0;
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          writes += chunk.toString().split('\n').length - 1;
          // Killed in the middle of its loop: at some point of some write, whatever the timing.
          if (writes >= 2 + round) child.kill('SIGKILL');
        });
        child.on('exit', () => resolve());
      });
      const text = readFileSync(file, 'utf8');
      assert.ok(text === a || text === b, 'the snapshot is one complete version');
      parseSnapshot(text, 'live.json');
    }
  });
});

describe('snapshot lock', () => {
  it('is exclusive, says who holds it, and is released', async () => {
    const d = dir();
    const file = join(d, 'live.json');
    const lock = await lockSnapshot(file, 0);
    await assert.rejects(lockSnapshot(file, 0), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, new RegExp(`is locked by another kafkaform apply \\(pid ${process.pid} on .*\\); if none is running, delete .*live\\.json\\.lock$`));
      return true;
    });
    await lock.release();
    assert.ok(!existsSync(`${file}.lock`));
    const again = await lockSnapshot(file, 0);
    await again.release();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const d = dir();
    const file = join(d, 'live.json');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const { hostname } = await import('node:os');
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), since: '2020-01-01T00:00:00.000Z' }));
    const lock = await lockSnapshot(file, 0);
    assert.equal(JSON.parse(readFileSync(`${file}.lock`, 'utf8')).pid, process.pid);
    await lock.release();
  });
});

describe('snapshot actions', () => {
  it('creates topics with their configs, resets configs to the inherited value, adds ACLs', () => {
    const live = snapshot();
    applyAction(live, createTopic, PLAIN);
    applyAction(live, resetRetention, PLAIN);
    applyAction(live, createAcl, PLAIN);
    assert.deepEqual(live.topics.map((t) => t.name), ['orders.v1', 'payments.v1']);
    assert.deepEqual(live.topics[1], {
      name: 'payments.v1',
      partitions: 6,
      replicationFactor: 3,
      internal: false,
      configs: { 'retention.ms': { value: '3600000', setOnTopic: true, source: 'DYNAMIC_TOPIC_CONFIG', readOnly: false, sensitive: false } },
    });
    assert.deepEqual(live.topics[0]!.configs['retention.ms'], {
      value: '604800000',
      setOnTopic: false,
      source: 'DEFAULT_CONFIG',
      inheritedValue: '604800000',
      readOnly: false,
      sensitive: false,
    });
    assert.deepEqual(live.acls.map((a) => a.principal), ['User:a', 'User:b', 'User:c']);
  });

  it('setting an inherited key remembers what a reset returns to', () => {
    const live = snapshot();
    applyAction(live, { phase: 3, action: 'update', resource: { kind: 'topic', name: 'orders.v1' }, changes: [{ field: 'config.cleanup.policy', from: 'delete', to: 'compact' }], patch: [] }, PLAIN);
    assert.deepEqual(live.topics[0]!.configs['cleanup.policy'], { value: 'compact', setOnTopic: true, source: 'DYNAMIC_TOPIC_CONFIG', inheritedValue: 'delete', readOnly: false, sensitive: false });
  });

  it('deleting what is already gone succeeds; refuses what a cluster refuses', () => {
    const live = snapshot();
    const del: PlanAction = { phase: 6, action: 'delete', resource: { kind: 'topic', name: 'gone' }, changes: [], patch: [] };
    applyAction(live, del, PLAIN);
    const refuse = (action: PlanAction, caps: TargetCapabilities, message: RegExp): void =>
      assert.throws(() => applyAction(snapshot(), action, caps), (e: unknown) => e instanceof MutationRefused && message.test(e.message));
    refuse({ ...createTopic, resource: { kind: 'topic', name: 'orders.v1' } }, PLAIN, /already exists/);
    refuse({ phase: 2, action: 'update', resource: { kind: 'topic', name: 'orders.v1' }, changes: [{ field: 'partitions', from: 3, to: 2 }], patch: [] }, PLAIN, /cannot go down from 3 to 2/);
    refuse({ phase: 2, action: 'update', resource: { kind: 'topic', name: 'orders.v1' }, changes: [{ field: 'replicationFactor', from: 3, to: 2 }], patch: [] }, PLAIN, /cannot change the replication factor/);
    refuse({ phase: 3, action: 'update', resource: { kind: 'topic', name: 'orders.v1' }, changes: [{ field: 'config.message.format.version', from: '3.0-IV1', to: null }], patch: [] }, PLAIN, /read-only/);
    refuse({ phase: 3, action: 'update', resource: { kind: 'topic', name: 'orders.v1' }, changes: [{ field: 'config.x.secret', from: null, to: '(sensitive)', sensitive: true }], patch: [] }, PLAIN, /sensitive/);
    refuse(createAcl, { ...PLAIN, principalsMustExist: true }, /principal User:c does not exist/);
    const withRf = snapshot();
    applyAction(withRf, { phase: 2, action: 'update', resource: { kind: 'topic', name: 'orders.v1' }, changes: [{ field: 'replicationFactor', from: 3, to: 2 }], patch: [] }, { ...PLAIN, replicationFactorChange: true });
    assert.equal(withRf.topics[0]!.replicationFactor, 2);
  });
});

describe('snapshot target', () => {
  async function setup(s: Snapshot = snapshot()): Promise<{ d: string; file: string; target: SnapshotTarget }> {
    const d = dir();
    const file = join(d, 'state', 'live.json');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(d, 'state'));
    writeFileSync(file, serializeSnapshot(s));
    const target = (await TARGET_KINDS.snapshot.open(spec(d, './state/live.json'), {}, CTX)) as SnapshotTarget;
    return { d, file, target };
  }

  it('resolves its path against the declaring file and follows the rules of its source kind', async () => {
    const { file, target } = await setup(snapshot({ source: { type: 'confluent' } }));
    assert.equal(target.file, file);
    assert.equal(target.sourceType, 'confluent');
    assert.deepEqual(target.capabilities, { ...TARGET_KINDS.confluent.capabilities, dryRun: false, reportsAllTopicConfigs: false });
    assert.equal(rulesOf(target), TARGET_KINDS.confluent);
    const plain = await setup();
    assert.deepEqual(plain.target.capabilities, PLAIN);
    assert.equal(rulesOf(plain.target), TARGET_KINDS.snapshot);
  });

  it('reports a missing path setting and an unreadable file as configuration errors', async () => {
    const d = dir();
    await assert.rejects(TARGET_KINDS.snapshot.open({ ...spec(d, 'x'), settings: {} }, {}, CTX), /: cluster offline: path is required$/);
    await assert.rejects(TARGET_KINDS.snapshot.open(spec(d, 'missing.json'), {}, CTX), (e: unknown) => e instanceof ConfigError && /cannot read snapshot .*missing\.json: no such file or directory/.test(e.message));
  });

  it('applies units in memory and writes the file once, when closed', async () => {
    const { file, target } = await setup();
    const before = readFileSync(file, 'utf8');
    const live = await target.read();
    assert.deepEqual(await target.preflight([createTopic, resetRetention, createAcl], live), []);
    for (const phase of [1, 3, 4] as const) {
      for (const unit of target.units(phase, [createTopic, resetRetention, createAcl].filter((a) => a.phase === phase), live)) await unit.run();
    }
    assert.equal(readFileSync(file, 'utf8'), before, 'nothing is written before close');
    assert.deepEqual((await target.read()).topics.map((t) => t.name), ['orders.v1', 'payments.v1']);
    await target.close();
    const written = parseSnapshot(readFileSync(file, 'utf8'), file);
    assert.deepEqual(written.topics.map((t) => t.name), ['orders.v1', 'payments.v1']);
    assert.ok(!existsSync(`${file}.lock`), 'lock released');
  });

  it('preflight reports every action the snapshot would refuse, and changes nothing', async () => {
    const { file, target } = await setup();
    const before = readFileSync(file, 'utf8');
    const bad: PlanAction[] = [
      { ...createTopic, resource: { kind: 'topic', name: 'orders.v1' } },
      { phase: 3, action: 'update', resource: { kind: 'topic', name: 'orders.v1' }, changes: [{ field: 'config.message.format.version', from: '3.0-IV1', to: null }], patch: [] },
    ];
    const findings = await target.preflight(bad, await target.read());
    assert.deepEqual(findings.map((f) => f.message), ['topic orders.v1 already exists', 'config message.format.version is read-only']);
    await target.close();
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('refuses to apply when another apply changed the file since it was read', async () => {
    const { d, file, target: first } = await setup();
    const second = await openSnapshot(spec(d, './state/live.json'), {}, (t) => TARGET_KINDS[t].capabilities, { lockWaitMs: 0 });
    const live = await first.read();
    await first.preflight([createTopic], live);
    await assert.rejects(second.preflight([createAcl], live), /is locked by another kafkaform apply/);
    for (const unit of first.units(1, [createTopic], live)) await unit.run();
    await first.close();
    await assert.rejects(second.preflight([createAcl], live), (e: unknown) => e instanceof PlanRefusedError && /changed since it was read/.test(e.message));
    await second.close();
    assert.deepEqual(parseSnapshot(readFileSync(file, 'utf8'), file).acls.length, 2, 'the second apply changed nothing');
  });
});

describe('snapshot file permissions', () => {
  it('a rewrite keeps the mode of the file it replaces', async () => {
    const { chmodSync, statSync } = await import('node:fs');
    const d = dir();
    const file = join(d, 'live.json');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o600);
    await writeFileAtomic(file, 'new\n');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });
});
