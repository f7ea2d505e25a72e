/**
 * Replication-factor changes through the real CLI (`node bin/kafkaform.js`, built by `npm run
 * build`) on the real three-broker cluster (racks a, b, c) that test/run.mjs starts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import { kafkaform, scratch } from '../cli/helpers.js';
import { brokerSkip, requireBrokers } from '../support/broker.js';

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
    dir = scratch();
    writeFileSync(
      join(dir, 'cluster.yaml'),
      ['apiVersion: kafkaform/v1', 'clusters:', '  trio:', '    type: kafka', `    bootstrapServers: [${trio.bootstrap.join(', ')}]`, ''].join('\n'),
    );
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
