/**
 * Replication-factor changes through the real CLI (`node bin/kafkaform.js`, built by `npm run
 * build`) on the real three-broker cluster (racks a, b, c) that test/run.mjs starts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin, alterPartitionReassignmentsV0 } from '@platformatic/kafka';
import { kafkaform, scratch, startKafkaform } from '../cli/helpers.js';
import { brokerSkip, requireBrokers } from '../support/broker.js';
import { stallReplication } from '../support/replication.js';

/** A scratch folder declaring the three-broker cluster as `trio`. */
function trioClusterDir(bootstrap: readonly string[]): string {
  const dir = scratch();
  writeFileSync(join(dir, 'cluster.yaml'), ['apiVersion: kafkaform/v1', 'clusters:', '  trio:', '    type: kafka', `    bootstrapServers: [${bootstrap.join(', ')}]`, ''].join('\n'));
  return dir;
}

describe('replication factor through the CLI on three brokers', { skip: brokerSkip() }, () => {
  let admin: Admin;
  let racks: Map<number, string>;
  let dir: string;
  const prefix = `rf-${randomUUID().slice(0, 8)}.`;
  const topic = `${prefix}orders`;

  before(() => {
    const { trio } = requireBrokers();
    admin = new Admin({ clientId: 'kafkaform-rf-e2e', bootstrapBrokers: trio.bootstrap });
    racks = new Map(trio.brokers.map((b: { id: number; rack: string }) => [b.id, b.rack]));
    dir = trioClusterDir(trio.bootstrap);
  });
  after(async () => {
    await admin.close();
  });

  /** Declares the topic with `rf` replicas. */
  function declare(rf: number): void {
    writeFileSync(
      join(dir, 'topics.yaml'),
      ['apiVersion: kafkaform/v1', 'scope:', `  topics: ["${prefix}"]`, 'topics:', `  - name: ${topic}`, '    partitions: 6', `    replicationFactor: ${rf}`, ''].join('\n'),
    );
  }

  async function replicas(): Promise<number[][]> {
    const md = await admin.metadata({ topics: [topic], forceUpdate: true });
    return md.topics.get(topic)!.partitions.map((p) => [...p.replicas]);
  }

  const rackSet = (ids: number[]): Set<string> => new Set(ids.map((id) => racks.get(id)!));

  it('creates the topic with one replica per partition', async () => {
    declare(1);
    const r = await kafkaform(['apply', '--auto-approve'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((await replicas()).map((p) => p.length), [1, 1, 1, 1, 1, 1]);
  });

  it('raises 1 → 3: the plan shows it, apply waits for the reassignment, replicas span the three racks', async () => {
    declare(3);
    const before = await replicas();
    const plan = await kafkaform(['plan', '--detailed-exitcode'], { cwd: dir });
    assert.equal(plan.code, 2, plan.stderr);
    assert.match(plan.stdout, /replicationFactor\s*=\s*1\s*->\s*3/);

    const started = Date.now();
    const r = await kafkaform(['apply', '--auto-approve'], { cwd: dir });
    const ms = Date.now() - started;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^reassigning 6 partition\(s\) of 1 topic\(s\) for their new replication factor$/m);
    assert.match(r.stderr, /^reassignment complete: 6\/6 partition\(s\)$/m);
    const after = await replicas();
    after.forEach((p, i) => {
      assert.equal(p[0], before[i]![0], 'preferred leader kept');
      assert.deepEqual(rackSet(p), new Set(['a', 'b', 'c']));
    });
    const drift = await kafkaform(['drift'], { cwd: dir });
    assert.equal(drift.code, 0, drift.stdout + drift.stderr);
    process.stderr.write(`# CLI apply 1 → 3 of 6 partitions on three brokers: ${ms} ms (process start, read, reassignment, replan)\n`);
  });

  it('lowers 3 → 2 under a replication throttle that is gone afterwards: two racks per partition, no drift', async () => {
    declare(2);
    const before = await replicas();
    const r = await kafkaform(['apply', '--auto-approve', '--reassignment-throttle', '50000000'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const after = await replicas();
    after.forEach((p, i) => {
      assert.equal(p.length, 2);
      assert.ok(p.every((id) => before[i]!.includes(id)), 'only removals');
      assert.equal(rackSet(p).size, 2);
    });
    // The throttle's topic overrides would show as drift had they stayed.
    const drift = await kafkaform(['drift'], { cwd: dir });
    assert.equal(drift.code, 0, drift.stdout + drift.stderr);
  });

  it('raises 2 → 3 without waiting: apply returns once the replicas are being added, and nothing drifts', async () => {
    declare(3);
    const r = await kafkaform(['apply', '--auto-approve', '--no-wait-reassignment'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^not waiting for the reassignment to complete \(--no-wait-reassignment\); the brokers carry it on$/m);
    assert.doesNotMatch(r.stderr, /reassignment complete/);
    assert.ok((await replicas()).every((p) => p.length === 3));
    const drift = await kafkaform(['drift'], { cwd: dir });
    assert.equal(drift.code, 0, drift.stdout + drift.stderr);
  });

  it('refuses 4 replicas on three brokers in preflight, changing nothing', async () => {
    declare(4);
    const before = await replicas();
    assert.ok(before.every((p) => p.length === 3));
    const r = await kafkaform(['apply', '--auto-approve'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: preflight found 1 problem\(s\); nothing was changed$/m);
    assert.match(r.stderr, /replication factor 4 is above the 3 broker\(s\) of this cluster/);
    assert.deepEqual(await replicas(), before);
  });
});

describe('replication-factor changes of several topics: each topic done or failed on its own', { skip: brokerSkip() }, () => {
  let admin: Admin;
  let dir: string;
  const prefix = `rfb-${randomUUID().slice(0, 8)}.`;
  // `held` replicates at 1 byte/s (its throttled-replica lists are declared, so apply keeps them).
  const held = `${prefix}held`;
  const free = [`${prefix}free-1`, `${prefix}free-2`];

  before(() => {
    const { trio } = requireBrokers();
    admin = new Admin({ clientId: 'kafkaform-rf-e2e', bootstrapBrokers: trio.bootstrap });
    dir = trioClusterDir(trio.bootstrap);
  });
  after(async () => {
    await admin.close();
  });

  function declare(rf: number): void {
    const topic = (name: string, extra: string[] = []): string[] => [`  - name: ${name}`, '    partitions: 1', `    replicationFactor: ${rf}`, ...extra];
    const throttled = ['    config:', '      leader.replication.throttled.replicas: "*"', '      follower.replication.throttled.replicas: "*"'];
    writeFileSync(
      join(dir, 'topics.yaml'),
      ['apiVersion: kafkaform/v1', 'scope:', `  topics: ["${prefix}"]`, 'topics:', ...topic(held, throttled), ...free.flatMap((n) => topic(n)), ''].join('\n'),
    );
  }

  async function factors(): Promise<number[]> {
    const md = await admin.metadata({ topics: [held, ...free], forceUpdate: true });
    return [held, ...free].map((t) => md.topics.get(t)!.partitions[0]!.replicas.length);
  }

  it('a reassignment cancelled on the cluster fails its topic alone; the others are reported done', async () => {
    declare(1);
    const created = await kafkaform(['apply', '--auto-approve'], { cwd: dir });
    assert.equal(created.code, 0, created.stderr);
    const release = await stallReplication(admin, held);
    try {
      declare(2);
      const apply = startKafkaform(['apply', '--auto-approve'], { cwd: dir });
      // One request starts all three; the free topics complete, the held one stays running.
      await apply.stderrShows(/^reassigning 3 partition\(s\) of 3 topic\(s\) for their new replication factor$/m);
      const { trio } = requireBrokers();
      const connection = await admin.connections.get({ host: '127.0.0.1', port: Number(trio.bootstrap[0]!.split(':')[1]) });
      // An operator cancels it (kafka-reassign-partitions --cancel): null replicas.
      await alterPartitionReassignmentsV0.api.async(connection, 30000, true, [
        { name: held, partitions: [{ partitionIndex: 0, replicas: null as unknown as number[] }] },
      ]);
      const r = await apply.done;
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^error: apply stopped after a failure: 2 done, 1 failed, 0 not attempted; running apply again continues from here$/m);
      const report = r.stderr.slice(r.stderr.indexOf('Done (2):'));
      assert.equal(
        report.split('\n').slice(0, 5).join('\n').replace(/: the reassignment.*$/m, ': <reason>'),
        [
          'Done (2):',
          `  update topic ${free[0]} (replicationFactor)`,
          `  update topic ${free[1]} (replicationFactor)`,
          'Failed (1):',
          `  update topic ${held} (replicationFactor): <reason>`,
        ].join('\n'),
      );
      assert.match(report, new RegExp(`the reassignment of topic ${held.replace('.', '\\.')} ended but 1 partition\\(s\\) did not get their new replicas \\(was it cancelled\\?\\)`));
      assert.deepEqual(await factors(), [1, 2, 2]);
    } finally {
      await release();
    }
  });
});
