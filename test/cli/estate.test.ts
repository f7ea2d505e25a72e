// Working on part of the estate through the real binary, on snapshot clusters: `--target`
// restricts plan, apply and drift to the resources it names; overlays rename principals, replace
// ACL entries and scope per cluster, and can force their topicDefaults over topics' own values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AclBinding, Plan } from '../../src/model.js';
import { parseSnapshot } from '../../src/targets/snapshot/file.js';
import { copyExample, kafkaform, read, scratch } from './helpers.js';

function binding(principal: string, resourceName: string, operation: AclBinding['operation'], resourceType: AclBinding['resourceType'] = 'TOPIC'): AclBinding {
  return { principal, host: '*', resourceType, resourceName, patternType: 'LITERAL', operation, permission: 'ALLOW' };
}

/** A topic entry of a snapshot with no config of its own. */
function topic(name: string, partitions: number, replicationFactor = 3): object {
  return { name, partitions, replicationFactor, internal: false, configs: {} };
}

function writeSnapshot(file: string, topics: object[], acls: AclBinding[]): void {
  writeFileSync(file, `${JSON.stringify({ formatVersion: 1, source: { type: 'snapshot' }, clusterId: 'c', topics, acls }, null, 2)}\n`);
}

/** The snapshot's bindings as `principal OPERATION TYPE:name`, sorted. */
function bindingsIn(file: string): string[] {
  return parseSnapshot(read(file), file)
    .acls.map((b) => `${b.principal} ${b.operation} ${b.resourceType}:${b.resourceName}`)
    .sort();
}

/** The snapshot's topics as `name/partitions/replicationFactor`, sorted. */
function topicsIn(file: string): string[] {
  return parseSnapshot(read(file), file)
    .topics.map((t) => `${t.name}/${t.partitions}/${t.replicationFactor}`)
    .sort();
}

describe('--target (CLI, snapshot)', { concurrency: true }, () => {
  it('a targeted plan shows only the matching resources and says it is partial, in text, markdown and JSON', async () => {
    const dir = copyExample('quickstart');
    const text = await kafkaform(['plan', '--target', 'topic:orders.*'], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Plan for cluster local \(snapshot\), live state sha256:[0-9a-f]{12}\nPartial plan: only resources matching --target topic:orders\.\*; changes to anything else are neither shown nor made\.\n/);
    assert.match(text.stdout, /~ topic orders\.created\.v1/);
    // payments.refunds.v1 is created and the ACLs change in the whole plan; here they are left out.
    assert.doesNotMatch(text.stdout, /payments|acl |User:/);
    assert.match(text.stdout, /\nPlan: 0 to create, 1 to update, 0 to delete\.\n$/);

    const md = await kafkaform(['plan', '-o', 'markdown', '--target', 'acl:User:billing'], { cwd: dir });
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /> \[!NOTE\]\n> Partial plan: only resources matching --target acl:User:billing;/);
    assert.doesNotMatch(md.stdout, /topic |User:payments-svc/);

    const json = await kafkaform(['plan', '-o', 'json', '--target', 'topic:payments.*', '--target', 'acl:User:billing', '--target', 'topic:payments.*'], { cwd: dir });
    assert.equal(json.code, 0, json.stderr);
    const plan = JSON.parse(json.stdout) as Plan;
    assert.deepEqual(plan.options.targets, ['acl:User:billing', 'topic:payments.*']);
    assert.deepEqual(
      [...new Set(plan.actions.map((a) => (a.resource.kind === 'topic' ? a.resource.name : a.resource.principal)))].sort(),
      ['User:billing', 'payments.refunds.v1', 'payments.settled.v1'],
    );
    // A whole plan records no targets.
    const whole = JSON.parse((await kafkaform(['plan', '-o', 'json'], { cwd: dir })).stdout) as Plan;
    assert.equal(whole.options.targets, undefined);
  });

  it('a targeted apply changes only the targets; a second targeted plan finds nothing left while the rest still differs', async () => {
    const dir = copyExample('quickstart');
    const snapshot = join(dir, 'live-state.json');
    const before = parseSnapshot(read(snapshot), snapshot);
    const r = await kafkaform(['apply', '--auto-approve', '--quiet', '--target', 'topic:payments.refunds.v1'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.endsWith('\nApply complete: 1 created, 0 updated, 0 deleted.\n'), r.stdout);
    const after = parseSnapshot(read(snapshot), snapshot);
    // Exactly one topic more; every other topic and every binding as before.
    assert.deepEqual(after.acls, before.acls);
    assert.deepEqual(
      after.topics.filter((t) => t.name !== 'payments.refunds.v1'),
      before.topics,
    );
    assert.deepEqual(topicsIn(snapshot).filter((t) => t.startsWith('payments.refunds.v1/')), ['payments.refunds.v1/3/3']);

    const again = await kafkaform(['plan', '--target', 'topic:payments.refunds.v1'], { cwd: dir });
    assert.match(again.stdout, /\nNo changes\. The targeted resources match the manifests\.\n$/);
    const drift = await kafkaform(['drift'], { cwd: dir });
    assert.equal(drift.code, 2, drift.stderr);
    const targetedDrift = await kafkaform(['drift', '--target', 'topic:payments.refunds.v1'], { cwd: dir });
    assert.equal(targetedDrift.code, 0, targetedDrift.stderr);
    assert.equal(targetedDrift.stdout, 'No drift: the resources of cluster local matching --target topic:payments.refunds.v1 match the manifests.\n');
  });

  it('never deletes outside the targets, even with --allow-delete', async () => {
    const dir = copyExample('quickstart');
    const snapshot = join(dir, 'live-state.json');
    // With --allow-delete the whole plan deletes topic orders.legacy and a binding of User:billing.
    const whole = JSON.parse((await kafkaform(['plan', '-o', 'json', '--allow-delete'], { cwd: dir })).stdout) as Plan;
    assert.deepEqual(
      whole.actions.filter((a) => a.action === 'delete').map((a) => (a.resource.kind === 'topic' ? a.resource.name : a.resource.principal)),
      ['User:billing', 'orders.legacy'],
    );
    const plan = await kafkaform(['plan', '-o', 'json', '--allow-delete', '--target', 'topic:payments.*', '--target', 'acl:User:payments-svc'], { cwd: dir });
    assert.equal(plan.code, 0, plan.stderr);
    const partial = JSON.parse(plan.stdout) as Plan;
    assert.equal(partial.summary.delete, 0);
    assert.deepEqual(partial.actions.filter((a) => a.action === 'delete'), []);

    const apply = await kafkaform(['apply', '--auto-approve', '--quiet', '--allow-delete', '--target', 'topic:payments.*', '--target', 'acl:User:payments-svc'], { cwd: dir });
    assert.equal(apply.code, 0, apply.stderr);
    assert.ok(topicsIn(snapshot).some((t) => t.startsWith('orders.legacy/')));
    assert.ok(bindingsIn(snapshot).includes('User:billing READ TOPIC:orders.shipped.v1'));
  });

  it('a saved targeted plan applies with its own targets, and other targets are refused', async () => {
    const dir = copyExample('quickstart');
    const snapshot = join(dir, 'live-state.json');
    const saved = await kafkaform(['plan', '-o', 'json', '--out', 'plan.json', '--target', 'acl:User:billing'], { cwd: dir });
    assert.equal(saved.code, 0, saved.stderr);
    assert.deepEqual((JSON.parse(read(join(dir, 'plan.json'))) as Plan).options.targets, ['acl:User:billing']);
    const before = read(snapshot);

    const other = await kafkaform(['apply', '--plan', 'plan.json', '--auto-approve', '--target', 'topic:orders.*'], { cwd: dir });
    assert.equal(other.code, 1);
    assert.equal(other.stderr, 'error: plan plan.json was made with --target acl:User:billing, not with --target topic:orders.*; leave --target out with --plan\n');
    assert.equal(read(snapshot), before);

    const untargeted = await kafkaform(['plan', '-o', 'json', '--out', 'whole.json'], { cwd: dir });
    assert.equal(untargeted.code, 0, untargeted.stderr);
    const added = await kafkaform(['apply', '--plan', 'whole.json', '--auto-approve', '--target', 'acl:User:billing'], { cwd: dir });
    assert.equal(added.code, 1);
    assert.equal(added.stderr, 'error: plan whole.json was made without --target, not with --target acl:User:billing; leave --target out with --plan\n');
    assert.equal(read(snapshot), before);

    // The same targets given again are no contradiction; without them the plan's own are used.
    const r = await kafkaform(['apply', '--plan', 'plan.json', '--auto-approve', '--quiet', '--target', 'acl:User:billing'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Partial plan: only resources matching --target acl:User:billing;/);
    assert.ok(r.stdout.endsWith('\nApply complete: 2 created, 0 updated, 1 deleted.\n'), r.stdout);
    const after = parseSnapshot(read(snapshot), snapshot);
    const was = parseSnapshot(before, snapshot);
    assert.deepEqual(after.topics, was.topics);
    assert.deepEqual(
      after.acls.filter((b) => b.principal !== 'User:billing'),
      was.acls.filter((b) => b.principal !== 'User:billing'),
    );
  });

  it('refuses an unknown selector kind before reading anything, and warns about a selector matching nothing', async () => {
    const dir = copyExample('quickstart');
    const bad = await kafkaform(['plan', '--target', 'topics:orders.*'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stderr,
      `error: option '--target <selector>' argument 'topics:orders.*' is invalid: unknown selector kind "topics" in "topics:orders.*" (did you mean "topic"?); selectors start with topic: or acl:; see kafkaform plan --help\n`,
    );
    const none = await kafkaform(['plan', '--target', 'acl:User:nobody*'], { cwd: dir });
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /\n {2}Warning: --target acl:User:nobody\* matches nothing in the manifests or on the cluster\n/);
    assert.match(none.stdout, /\nNo changes\. The targeted resources match the manifests\.\n$/);
  });
});

/** Shared manifests for `dev` and `prod`, each a snapshot next to them, with `overlay` for dev. */
function environments(overlay: string): string {
  const dir = scratch();
  writeFileSync(
    join(dir, 'kafkaform.yaml'),
    `apiVersion: kafkaform/v1
clusters:
  dev: { type: snapshot, path: ./dev.json }
  prod: { type: snapshot, path: ./prod.json }
scope:
  topics: ["billing."]
topicDefaults:
  partitions: 6
  replicationFactor: 3
topics:
  - name: billing.invoices.v1
    partitions: 12
  - name: billing.payments.v1
acls:
  - principal: User:billing
    role: consumer
    topics: ["billing.invoices.v1"]
  - principal: User:billing-writer
    role: producer
    topics: ["billing.payments.v1"]
overlays:
  dev:
${overlay}`,
  );
  return dir;
}

describe('overlays of ACLs, scope and forced topicDefaults (CLI, snapshot)', { concurrency: true }, () => {
  it('maps principals per cluster: the dev plan grants the dev account and never claims the prod-named bindings', async () => {
    const dir = environments(`    principals:
      User:billing: User:sa-dev-billing
`);
    const dev = join(dir, 'dev.json');
    writeSnapshot(
      dev,
      [topic('billing.invoices.v1', 12), topic('billing.payments.v1', 6)],
      [
        binding('User:billing-writer', 'billing.payments.v1', 'WRITE'),
        binding('User:billing-writer', 'billing.payments.v1', 'DESCRIBE'),
        // Prod-named, inside the scope: owned on prod, where the manifests name User:billing; not on dev.
        binding('User:billing', 'billing.audit', 'READ'),
        // The dev account's stray binding inside the scope: the dev overlay names it, so it is owned.
        binding('User:sa-dev-billing', 'billing.payments.v1', 'WRITE'),
      ],
    );
    writeSnapshot(join(dir, 'prod.json'), [], []);

    const plan = await kafkaform(['plan', '--cluster', 'dev', '-o', 'json'], { cwd: dir });
    assert.equal(plan.code, 0, plan.stderr);
    const p = JSON.parse(plan.stdout) as Plan;
    const describe = (r: Plan['unmanaged'][number]): string =>
      r.kind === 'topic' ? `topic ${r.name}` : `${r.principal} ${r.operation} ${r.resourceType}:${r.resourceName}`;
    assert.deepEqual(p.actions.map((a) => `${a.action} ${describe(a.resource)}`), [
      'create User:sa-dev-billing DESCRIBE TOPIC:billing.invoices.v1',
      'create User:sa-dev-billing READ TOPIC:billing.invoices.v1',
      'delete User:sa-dev-billing WRITE TOPIC:billing.payments.v1',
    ]);
    assert.deepEqual(p.unmanaged.map(describe), ['User:billing READ TOPIC:billing.audit']);

    const apply = await kafkaform(['apply', '--cluster', 'dev', '--auto-approve', '--quiet'], { cwd: dir });
    assert.equal(apply.code, 0, apply.stderr);
    assert.deepEqual(bindingsIn(dev), [
      'User:billing READ TOPIC:billing.audit',
      'User:billing-writer DESCRIBE TOPIC:billing.payments.v1',
      'User:billing-writer WRITE TOPIC:billing.payments.v1',
      'User:sa-dev-billing DESCRIBE TOPIC:billing.invoices.v1',
      'User:sa-dev-billing READ TOPIC:billing.invoices.v1',
    ]);

    // prod has no overlay: the shared principals as written.
    const prod = JSON.parse((await kafkaform(['plan', '--cluster', 'prod', '-o', 'json'], { cwd: dir })).stdout) as Plan;
    assert.deepEqual([...new Set(prod.actions.flatMap((a) => (a.resource.kind === 'acl' ? [a.resource.principal] : [])))], ['User:billing', 'User:billing-writer']);
  });

  it("replaces a principal's entries and the scope on one cluster", async () => {
    const dir = environments(`    acls:
      - principal: User:billing-writer
        role: producer
        topics: ["billing.*"]
    scope:
      principals: [User:dev-tools]
`);
    writeSnapshot(
      join(dir, 'dev.json'),
      [topic('billing.invoices.v1', 12), topic('billing.payments.v1', 6)],
      [binding('User:dev-tools', 'anything', 'ALL'), binding('User:billing-writer', 'billing.payments.v1', 'WRITE')],
    );
    const p = JSON.parse((await kafkaform(['plan', '--cluster', 'dev', '-o', 'json'], { cwd: dir })).stdout) as Plan;
    const shown = p.actions.map((a) => (a.resource.kind === 'acl' ? `${a.action} ${a.resource.principal} ${a.resource.operation} ${a.resource.resourceName}${a.resource.patternType === 'PREFIXED' ? '*' : ''}` : ''));
    assert.deepEqual(shown, [
      'create User:billing DESCRIBE billing.invoices.v1',
      'create User:billing READ billing.invoices.v1',
      'create User:billing-writer DESCRIBE billing.*',
      'create User:billing-writer WRITE billing.*',
      // The shared literal grant is replaced by the prefixed one, and scope.principals owns dev-tools whole.
      'delete User:billing-writer WRITE billing.payments.v1',
      'delete User:dev-tools ALL anything',
    ]);
  });

  it('forced topicDefaults win over topics\' own values; a per-topic override still wins over them', async () => {
    const dir = environments(`    topicDefaults:
      partitions: 1
      replicationFactor: 1
    forceTopicDefaults: [partitions]
    topics:
      billing.payments.v1: { partitions: 2 }
`);
    writeSnapshot(join(dir, 'dev.json'), [], []);
    writeSnapshot(join(dir, 'prod.json'), [], []);
    const apply = await kafkaform(['apply', '--cluster', 'dev', '--auto-approve', '--quiet'], { cwd: dir });
    assert.equal(apply.code, 0, apply.stderr);
    // billing.invoices.v1 writes partitions: 12 itself; the forced default wins on dev.
    assert.deepEqual(topicsIn(join(dir, 'dev.json')), ['billing.invoices.v1/1/1', 'billing.payments.v1/2/1']);
    const prod = await kafkaform(['apply', '--cluster', 'prod', '--auto-approve', '--quiet'], { cwd: dir });
    assert.equal(prod.code, 0, prod.stderr);
    assert.deepEqual(topicsIn(join(dir, 'prod.json')), ['billing.invoices.v1/12/3', 'billing.payments.v1/6/3']);
  });

  it('validate checks every overlay: unknown keys, principals no manifest names and unset forced fields, with file:line and a suggestion', async () => {
    const dir = environments(`    principals:
      User:biling: User:sa-dev-billing
    forceTopicDefaults: [partitons]
    topicDefaults: { partitions: 1 }
    acl: []
`);
    const r = await kafkaform(['validate'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      [
        'kafkaform.yaml:24:7: overlay dev maps principal User:biling, which no shared acls entry or scope.principals names (did you mean "User:billing"?) (/overlays/dev/principals/User:biling)',
        'kafkaform.yaml:25:26: overlay dev: forceTopicDefaults names "partitons", which overlays.dev.topicDefaults does not set (did you mean "partitions"?) (/overlays/dev/forceTopicDefaults/0)',
        'kafkaform.yaml:27:5: unknown property "acl" (did you mean "acls"?) (/overlays/dev/acl)',
        'error: 3 problems in the manifests',
        '',
      ].join('\n'),
    );
  });
});
