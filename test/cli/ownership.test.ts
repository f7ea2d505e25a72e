// Ownership of ACL bindings through the real binary, on a snapshot cluster: naming a principal
// claims only its access to what the manifests own, so two repositories can share a cluster and
// even a principal (issue 12, defect 3; the README's "Who owns an ACL binding").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AclBinding } from '../../src/model.js';
import { parseSnapshot } from '../../src/targets/snapshot/file.js';
import { kafkaform, read, scratch } from './helpers.js';

function binding(principal: string, resourceType: AclBinding['resourceType'], resourceName: string, operation: AclBinding['operation'], patternType: AclBinding['patternType'] = 'LITERAL'): AclBinding {
  return { principal, host: '*', resourceType, resourceName, patternType, operation, permission: 'ALLOW' };
}

function writeSnapshot(file: string, acls: AclBinding[]): void {
  writeFileSync(file, `${JSON.stringify({ formatVersion: 1, source: { type: 'snapshot' }, clusterId: 'shared', topics: [], acls }, null, 2)}\n`);
}

/** The snapshot's bindings as `principal OPERATION TYPE:name[*]`, sorted. */
function bindingsIn(file: string): string[] {
  return parseSnapshot(read(file), file)
    .acls.map((b) => `${b.principal} ${b.operation} ${b.resourceType}:${b.resourceName}${b.patternType === 'PREFIXED' ? '*' : ''}`)
    .sort();
}

/** A repository: one manifest whose cluster `shared` is the snapshot at `../live.json`. */
function repository(root: string, name: string, body: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'kafkaform.yaml'), `apiVersion: kafkaform/v1\nclusters:\n  shared:\n    type: snapshot\n    path: ../live.json\n${body}`);
  return dir;
}

describe('ownership of ACL bindings (CLI, snapshot)', { concurrency: true }, () => {
  it("granting a principal READ on the team's topics leaves its CLUSTER DESCRIBE alone and lists it as unmanaged", async () => {
    const root = scratch();
    const live = join(root, 'live.json');
    writeSnapshot(live, [binding('User:analytics-etl', 'CLUSTER', 'kafka-cluster', 'DESCRIBE')]);
    const dir = repository(
      root,
      'analytics',
      'scope:\n  topics: ["analytics."]\nacls:\n  - principal: User:analytics-etl\n    role: consumer\n    topics: ["analytics.*"]\n',
    );

    const plan = await kafkaform(['plan'], { cwd: dir });
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /\nUnmanaged \(outside the manifests' scope, never touched\):\n {2}1 ACL binding of User:analytics-etl\n/);
    assert.doesNotMatch(plan.stdout, /delete ACLs/);

    const apply = await kafkaform(['apply', '--auto-approve', '--allow-delete'], { cwd: dir });
    assert.equal(apply.code, 0, apply.stderr);
    assert.ok(apply.stdout.endsWith('\nApply complete: 2 created, 0 updated, 0 deleted.\n'), apply.stdout);
    assert.deepEqual(bindingsIn(live), [
      'User:analytics-etl DESCRIBE CLUSTER:kafka-cluster',
      'User:analytics-etl DESCRIBE TOPIC:analytics.*',
      'User:analytics-etl READ TOPIC:analytics.*',
    ]);
  });

  it("two repositories managing the same principal never delete each other's bindings, in either order, and both converge", async () => {
    // The README's example: team A owns orders.* and User:orders-svc's bindings on it; the
    // platform team owns User:orders-svc's CLUSTER DESCRIBE. Both start from bindings the other
    // declared, plus one stale binding each may remove.
    const teamA =
      'scope:\n  topics: ["orders."]\nacls:\n  - principal: User:orders-svc\n    role: producer\n    topics: ["orders.*"]\n';
    const platform =
      'scope:\n  cluster: true\nacls:\n  - principal: User:orders-svc\n    resourceType: CLUSTER\n    resourceName: kafka-cluster\n    operations: [DESCRIBE]\n';
    for (const order of [['team-a', 'platform'], ['platform', 'team-a']] as const) {
      const root = scratch();
      const live = join(root, 'live.json');
      writeSnapshot(live, [
        binding('User:orders-svc', 'CLUSTER', 'kafka-cluster', 'DESCRIBE'),
        binding('User:orders-svc', 'CLUSTER', 'kafka-cluster', 'ALTER'),
        binding('User:orders-svc', 'TOPIC', 'orders.', 'WRITE', 'PREFIXED'),
        binding('User:orders-svc', 'TOPIC', 'orders.legacy', 'READ'),
      ]);
      const dirs = { 'team-a': repository(root, 'team-a', teamA), platform: repository(root, 'platform', platform) };
      for (const name of order) {
        const r = await kafkaform(['apply', '--auto-approve', '--allow-delete'], { cwd: dirs[name] });
        assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      }
      assert.deepEqual(bindingsIn(live), [
        'User:orders-svc DESCRIBE CLUSTER:kafka-cluster',
        'User:orders-svc DESCRIBE TOPIC:orders.*',
        'User:orders-svc WRITE TOPIC:orders.*',
      ], order.join(' then '));
      for (const dir of Object.values(dirs)) {
        const again = await kafkaform(['plan', '--detailed-exitcode', '--allow-delete'], { cwd: dir });
        assert.equal(again.code, 0, again.stdout);
        assert.match(again.stdout, /No changes\. The cluster matches the manifests\./);
      }
    }
  });
});
