import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { copyExample, kafkaform, read, ROOT, scratch } from './helpers.js';
import { parseSnapshot } from '../../src/targets/snapshot/file.js';

const ESC = '\u001b';

const QUICKSTART_PLAN_TAIL = `Held back (not in this plan):
  topic orders.legacy: deleting a topic needs --allow-delete

Unmanaged (outside the manifests' scope, never touched):
  topic analytics.clicks
  1 ACL binding of User:analytics

Plan: 5 to create, 2 to update, 1 to delete.
`;

function schemaValidator(name: string): ReturnType<Ajv2020['compile']> {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', name), 'utf8')) as Record<string, unknown>;
  return new Ajv2020({ allErrors: true, strict: false }).compile(schema);
}

describe('kafkaform validate', { concurrency: true }, () => {
  it('accepts the quickstart and says what it checked', async () => {
    const r = await kafkaform(['validate', 'examples/quickstart'], { cwd: ROOT });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'The manifests are valid for 1 cluster:\n  cluster local (snapshot): 4 topics, 9 ACL bindings\n');
    assert.equal(r.code, 0);
  });

  it('reports every problem of a bad manifest with file:line:col and path, exit 1, no stack trace', async () => {
    const dir = scratch();
    writeFileSync(
      join(dir, 'bad.yaml'),
      ['apiVersion: kafkaform/v1', 'topics:', '  - name: orders.v1', '    partitions: 0', '  - name: payments.v1', '    replicationFactor: "three"', ''].join('\n'),
    );
    const r = await kafkaform(['validate'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^bad\.yaml:4:17: .*partitions.* \(\/topics\/0\/partitions\)$/);
    assert.match(lines[1]!, /^bad\.yaml:6:24: .* \(\/topics\/1\/replicationFactor\)$/);
    assert.equal(lines[2], 'error: 2 problems in the manifests');
    assert.equal(lines.length, 3);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('needs no variable of a cluster it does not use; plan names the variable when the cluster is used', async () => {
    const dir = copyExample('quickstart');
    writeFileSync(
      join(dir, 'prod.yaml'),
      [
        'apiVersion: kafkaform/v1',
        'clusters:',
        '  prod:',
        '    type: confluent',
        '    restUrl: "${PROD_REST_URL}"',
        '    auth: { type: basic, username: "${PROD_KEY}", password: "${PROD_SECRET}" }',
        '',
      ].join('\n'),
    );
    const v = await kafkaform(['validate'], { cwd: dir });
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /valid for 2 clusters/);
    const p = await kafkaform(['plan', '--cluster', 'local'], { cwd: dir });
    assert.equal(p.code, 0, p.stderr);
    assert.ok(p.stdout.endsWith(QUICKSTART_PLAN_TAIL));
    const prod = await kafkaform(['plan', '--cluster', 'prod'], { cwd: dir });
    assert.equal(prod.code, 1);
    assert.equal(prod.stdout, '');
    assert.match(prod.stderr, /^error: prod\.yaml:5:\d+: environment variable PROD_REST_URL is not set \(cluster prod, setting restUrl\)$/m);
  });
});

describe('kafkaform plan', { concurrency: true }, () => {
  it('prints the quickstart plan: creates, updates, deletes, held back, unmanaged; no colour off a terminal', async () => {
    const r = await kafkaform(['plan', 'examples/quickstart'], { cwd: ROOT });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Plan for cluster local \(snapshot\), live state sha256:[0-9a-f]{12}\n/);
    for (const fragment of [
      'Phase 1: create topics\n  + topic payments.refunds.v1\n',
      'Phase 2: increase partitions / change replication factor\n  ~ topic orders.created.v1\n      ~ partitions = 6 -> 12\n',
      '      ~ retention.ms = "86400000" (1d) -> "604800000" (7d)\n',
      'Phase 4: create ACLs\n',
      'Phase 5: delete ACLs\n  - acl User:billing ALLOW READ on TOPIC orders.shipped.v1\n',
    ]) {
      assert.ok(r.stdout.includes(fragment), `missing:\n${fragment}\nin:\n${r.stdout}`);
    }
    assert.ok(r.stdout.endsWith(QUICKSTART_PLAN_TAIL));
    assert.ok(!r.stdout.includes(ESC));
  });

  it('--detailed-exitcode exits 2 when there are changes', async () => {
    const r = await kafkaform(['plan', 'examples/quickstart', '--detailed-exitcode'], { cwd: ROOT });
    assert.equal(r.code, 2);
  });

  it('-o json validates against schemas/plan.schema.json and carries the fingerprint', async () => {
    const r = await kafkaform(['plan', 'examples/quickstart', '-o', 'json'], { cwd: ROOT });
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as { cluster: unknown; summary: unknown; fingerprint: string; actions: { phase: number }[] };
    const validate = schemaValidator('plan.schema.json');
    assert.ok(validate(plan), JSON.stringify(validate.errors));
    assert.deepEqual(plan.cluster, { name: 'local', type: 'snapshot' });
    assert.deepEqual(plan.summary, { create: 5, update: 2, delete: 1, errors: 0 });
    assert.match(plan.fingerprint, /^sha256:[0-9a-f]{64}$/);
    const phases = plan.actions.map((a) => a.phase);
    assert.deepEqual(phases, [...phases].sort((a, b) => a - b));
  });

  it('-o markdown renders for a pull request; --out writes the same bytes to a file', async () => {
    const md = await kafkaform(['plan', 'examples/quickstart', '-o', 'markdown'], { cwd: ROOT });
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /\|/);
    const dir = scratch();
    const out = join(dir, 'plan.md');
    const saved = await kafkaform(['plan', join(ROOT, 'examples/quickstart'), '-o', 'markdown', '--out', out], { cwd: dir });
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal(saved.stdout, '');
    assert.equal(saved.stderr, `Plan written to ${out}.\n`);
    assert.equal(read(out), md.stdout);
  });

  it('is byte-for-byte reproducible', async () => {
    const a = await kafkaform(['plan', 'examples/quickstart', '-o', 'json'], { cwd: ROOT });
    const b = await kafkaform(['plan', 'examples/quickstart', '-o', 'json'], { cwd: ROOT });
    assert.equal(a.stdout, b.stdout);
  });

  it('exits 1 on a plan with errors, after showing them', async () => {
    const dir = copyExample('quickstart');
    const topics = read(join(dir, 'topics.yaml')).replace('partitions: 12 # the cluster has 6: partitions are added', 'partitions: 3');
    writeFileSync(join(dir, 'topics.yaml'), topics);
    const r = await kafkaform(['plan', '--detailed-exitcode'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /orders\.created\.v1/);
    assert.match(r.stderr, /^error: the plan has 1 error; fix the manifests before applying\n$/);
    const before = read(join(dir, 'live-state.json'));
    const apply = await kafkaform(['apply', '--auto-approve'], { cwd: dir });
    assert.equal(apply.code, 1);
    assert.equal(read(join(dir, 'live-state.json')), before, 'apply changed nothing');
  });

  it('chooses the cluster from --cluster, KAFKAFORM_CLUSTER or the only one, and says when it cannot', async () => {
    const dir = copyExample('quickstart');
    writeFileSync(join(dir, 'other.yaml'), 'apiVersion: kafkaform/v1\nclusters:\n  other:\n    type: snapshot\n    path: ./live-state.json\n');
    const ambiguous = await kafkaform(['plan'], { cwd: dir });
    assert.equal(ambiguous.code, 1);
    assert.equal(ambiguous.stderr, 'error: the manifests declare 2 clusters (local, other); choose one with --cluster or KAFKAFORM_CLUSTER\n');
    const fromEnv = await kafkaform(['plan', '-o', 'json'], { cwd: dir, env: { KAFKAFORM_CLUSTER: 'other' } });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.equal((JSON.parse(fromEnv.stdout) as { cluster: { name: string } }).cluster.name, 'other');
    const unknown = await kafkaform(['plan', '--cluster', 'nope'], { cwd: dir });
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'error: unknown cluster "nope"; the manifests declare: local, other\n');
  });

  it('rejects unknown options and formats with one sentence, exit 1', async () => {
    const r = await kafkaform(['plan', '--bogus'], { cwd: ROOT });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "error: unknown option '--bogus'; see kafkaform plan --help\n");
    const f = await kafkaform(['plan', '-o', 'yaml'], { cwd: ROOT });
    assert.equal(f.code, 1);
    assert.equal(f.stderr, "error: option '-o, --output <format>' argument 'yaml' is invalid: allowed choices are text, json, markdown (files are written with --out FILE); see kafkaform plan --help\n");
  });

  it('reports an unreadable snapshot as one sentence', async () => {
    const dir = copyExample('quickstart');
    writeFileSync(join(dir, 'live-state.json'), '{"formatVersion": 1, "topics": 3}');
    const r = await kafkaform(['plan'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: snapshot .*live-state\.json does not match schemas\/snapshot\.schema\.json: .*\n$/);
  });
});

describe('kafkaform apply', { concurrency: true }, () => {
  it('refuses to run unattended without --auto-approve, changing nothing', async () => {
    const dir = copyExample('quickstart');
    const before = read(join(dir, 'live-state.json'));
    const r = await kafkaform(['apply'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: apply needs confirmation but stdin is not a terminal; pass --auto-approve to apply without asking\n');
    assert.equal(read(join(dir, 'live-state.json')), before);
  });

  it('converges on a snapshot: progress on stderr, then plan and drift find nothing', async () => {
    const dir = copyExample('quickstart');
    const r = await kafkaform(['apply', '--auto-approve', '--allow-delete'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    // The stage's first line, one line per operation counting the actions, and its last line.
    const lines = r.stderr.split('\n');
    assert.equal(
      lines.slice(0, -2).join('\n'),
      [
        'applying 0/10 changes',
        '[1/10] created topic payments.refunds.v1',
        '[2/10] updated topic orders.created.v1 (partitions)',
        '[3/10] updated topic orders.created.v1 (retention.ms, segment.ms)',
        '[4/10] updated topic payments.settled.v1 (max.message.bytes)',
        '[5/10] created acl User:billing ALLOW DESCRIBE on TOPIC payments.settled.v1',
        '[6/10] created acl User:billing ALLOW READ on TOPIC payments.settled.v1',
        '[7/10] created acl User:payments-svc ALLOW DESCRIBE on TOPIC payments. (prefixed)',
        '[8/10] created acl User:payments-svc ALLOW WRITE on TOPIC payments. (prefixed)',
        '[9/10] deleted acl User:billing ALLOW READ on TOPIC orders.shipped.v1',
        '[10/10] deleted topic orders.legacy',
      ].join('\n'),
    );
    assert.match(lines.at(-2)!, /^applying 10\/10 changes, done in [\d.]+ s$/);
    assert.equal(lines.at(-1), '');
    assert.ok(r.stdout.endsWith('\nApply complete: 5 created, 2 updated, 2 deleted.\n'), r.stdout);

    const snapshot = parseSnapshot(read(join(dir, 'live-state.json')), 'live-state.json');
    assert.deepEqual(
      snapshot.topics.map((t) => t.name),
      ['__consumer_offsets', 'analytics.clicks', 'orders.created.v1', 'orders.shipped.v1', 'payments.refunds.v1', 'payments.settled.v1'],
    );
    assert.equal(snapshot.topics.find((t) => t.name === 'orders.created.v1')!.partitions, 12);

    const again = await kafkaform(['plan', '--detailed-exitcode', '--allow-delete'], { cwd: dir });
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /No changes\. The cluster matches the manifests\./);
    const drift = await kafkaform(['drift'], { cwd: dir });
    assert.equal(drift.code, 0);
    assert.equal(drift.stdout, 'No drift: cluster local matches the manifests.\n');
    const noop = await kafkaform(['apply', '--auto-approve'], { cwd: dir });
    assert.equal(noop.code, 0);
    assert.equal(noop.stderr, '');
  });

  it('--quiet silences progress', async () => {
    const dir = copyExample('quickstart');
    const r = await kafkaform(['apply', '--auto-approve', '--quiet'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
  });

  it('refuses a reassignment throttle without waiting, or one below 1 byte per second, changing nothing', async () => {
    const dir = copyExample('quickstart');
    const before = read(join(dir, 'live-state.json'));
    const both = await kafkaform(['apply', '--auto-approve', '--no-wait-reassignment', '--reassignment-throttle', '1000'], { cwd: dir });
    assert.equal(both.code, 1);
    assert.equal(
      both.stderr,
      'error: --reassignment-throttle needs waiting for the reassignment, which is when the throttle is removed; drop --no-wait-reassignment\n',
    );
    const zero = await kafkaform(['apply', '--auto-approve', '--reassignment-throttle', '0'], { cwd: dir });
    assert.equal(zero.code, 1);
    assert.match(zero.stderr, /--reassignment-throttle <bytes>' argument '0' is invalid: must be a whole number of at least 1; see kafkaform apply --help\n$/);
    assert.equal(read(join(dir, 'live-state.json')), before);
  });

  it('applies a saved plan, and refuses it once the cluster has changed', async () => {
    const dir = copyExample('quickstart');
    const saved = await kafkaform(['plan', '-o', 'json', '--out', 'plan.json'], { cwd: dir });
    assert.equal(saved.code, 0, saved.stderr);
    const snapshotFile = join(dir, 'live-state.json');
    const original = read(snapshotFile);

    // Someone changes the cluster after the plan was made.
    const changed = JSON.parse(original) as { topics: { name: string; partitions: number }[] };
    changed.topics.find((t) => t.name === 'orders.shipped.v1')!.partitions = 8;
    writeFileSync(snapshotFile, JSON.stringify(changed));
    const stale = read(snapshotFile);
    const refused = await kafkaform(['apply', '--plan', 'plan.json', '--auto-approve'], { cwd: dir });
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '');
    assert.equal(refused.stderr, 'error: cluster local changed since plan plan.json was made; nothing was changed, run plan again\n');
    assert.equal(read(snapshotFile), stale);

    writeFileSync(snapshotFile, original);
    const applied = await kafkaform(['apply', '--plan', 'plan.json', '--auto-approve', '--quiet'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Apply complete: 5 created, 2 updated, 1 deleted\.\n$/);
    assert.equal((await kafkaform(['plan', '--detailed-exitcode'], { cwd: dir })).code, 0);
  });

  it('refuses a saved plan that is not a plan, or is for another cluster', async () => {
    const dir = copyExample('quickstart');
    writeFileSync(join(dir, 'plan.txt'), 'Plan: 1 to create\n');
    const notJson = await kafkaform(['apply', '--plan', 'plan.txt', '--auto-approve'], { cwd: dir });
    assert.equal(notJson.code, 1);
    assert.equal(notJson.stderr, 'error: plan plan.txt is not JSON; save plans with: kafkaform plan -o json --out plan.txt\n');
    const plan = JSON.parse((await kafkaform(['plan', '-o', 'json'], { cwd: dir })).stdout) as { cluster: { name: string } };
    plan.cluster.name = 'prod';
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const other = await kafkaform(['apply', '--plan', 'plan.json', '--auto-approve'], { cwd: dir });
    assert.equal(other.code, 1);
    assert.equal(other.stderr, 'error: plan plan.json was not made from these manifests: they declare no cluster prod; nothing was changed\n');
  });

  it('two applies at once never corrupt the snapshot, and the cluster converges', async () => {
    for (let round = 0; round < 2; round++) {
      const dir = copyExample('quickstart');
      const runs = await Promise.all([
        kafkaform(['apply', '--auto-approve', '--quiet'], { cwd: dir }),
        kafkaform(['apply', '--auto-approve', '--quiet'], { cwd: dir }),
      ]);
      for (const r of runs) {
        assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
        if (r.code === 1) assert.match(r.stderr, /^error: snapshot .* (changed since it was read|is locked by another kafkaform apply)/);
      }
      assert.ok(runs.some((r) => r.code === 0), 'at least one apply succeeds');
      parseSnapshot(read(join(dir, 'live-state.json')), 'live-state.json');
      assert.equal((await kafkaform(['plan', '--detailed-exitcode'], { cwd: dir })).code, 0);
    }
  });
});

describe('kafkaform drift', { concurrency: true }, () => {
  it('exits 2 and shows the differences, in text and JSON', async () => {
    const text = await kafkaform(['drift', 'examples/quickstart'], { cwd: ROOT });
    assert.equal(text.code, 2);
    assert.match(text.stdout, /^Drift detected: cluster local differs from the manifests\.\n\nPlan for cluster local/);
    const json = await kafkaform(['drift', 'examples/quickstart', '-o', 'json'], { cwd: ROOT });
    assert.equal(json.code, 2);
    const validate = schemaValidator('plan.schema.json');
    assert.ok(validate(JSON.parse(json.stdout)), JSON.stringify(validate.errors));
  });

  it('agrees with plan --detailed-exitcode: a held-back deletion is listed and counted, and is drift only with --allow-delete', async () => {
    const dir = copyExample('quickstart');
    assert.equal((await kafkaform(['apply', '--auto-approve', '--quiet'], { cwd: dir })).code, 0);
    const before = read(join(dir, 'live-state.json'));
    const r = await kafkaform(['drift'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^No drift: cluster local matches the manifests; 1 change is held back, which is not drift without --allow-delete\.\n\n/);
    assert.match(r.stdout, /topic orders\.legacy: deleting a topic needs --allow-delete/);
    assert.ok(r.stdout.endsWith('No changes. 1 change held back (see above).\n'), r.stdout);
    const markdown = await kafkaform(['drift', '-o', 'markdown'], { cwd: dir });
    assert.equal(markdown.code, 0);
    assert.match(markdown.stdout, /^### No drift on cluster local\n\nThe cluster matches the manifests; 1 change is held back/);
    assert.match(markdown.stdout, /\*\*Held back\*\* \(1, not in this plan\)/);
    assert.equal((await kafkaform(['plan', '--detailed-exitcode'], { cwd: dir })).code, 0);

    const allowed = await kafkaform(['drift', '--allow-delete'], { cwd: dir });
    assert.equal(allowed.code, 2);
    assert.match(allowed.stdout, /^Drift detected: cluster local differs from the manifests\./);
    assert.match(allowed.stdout, /- topic orders\.legacy/);
    assert.equal((await kafkaform(['plan', '--detailed-exitcode', '--allow-delete'], { cwd: dir })).code, 2);
    assert.equal(read(join(dir, 'live-state.json')), before, 'drift changes nothing');
  });
});

describe('kafkaform export', { concurrency: true }, () => {
  it('exports a manifest that plans as no change against the cluster it came from', async () => {
    const dir = copyExample('quickstart');
    const r = await kafkaform(['export', '-o', 'manifest', '--out', 'exported.yaml'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Manifest written to exported.yaml.\n');
    const roundTrip = join(dir, 'round-trip');
    mkdirSync(roundTrip);
    writeFileSync(join(roundTrip, 'cluster.yaml'), 'apiVersion: kafkaform/v1\nclusters:\n  local:\n    type: snapshot\n    path: ../live-state.json\n');
    writeFileSync(join(roundTrip, 'exported.yaml'), read(join(dir, 'exported.yaml')));
    const plan = await kafkaform(['plan', 'round-trip', '--detailed-exitcode'], { cwd: dir });
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /No changes\./);
    assert.doesNotMatch(read(join(dir, 'exported.yaml')), /__consumer_offsets/);
  });

  it('exports a snapshot that validates against its schema and describes the same state', async () => {
    const r = await kafkaform(['export', 'examples/quickstart', '-o', 'snapshot'], { cwd: ROOT });
    assert.equal(r.code, 0, r.stderr);
    const validate = schemaValidator('snapshot.schema.json');
    assert.ok(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors));
    const original = parseSnapshot(read(join(ROOT, 'examples/quickstart/live-state.json')), 'a');
    assert.deepEqual(parseSnapshot(r.stdout, 'b'), original);
  });

  it('never exports sensitive values', async () => {
    const dir = copyExample('quickstart');
    const file = join(dir, 'live-state.json');
    const live = JSON.parse(read(file)) as { topics: { name: string; configs: Record<string, unknown> }[] };
    live.topics.find((t) => t.name === 'orders.shipped.v1')!.configs['ssl.key.password'] = {
      value: 'hunter2-secret',
      setOnTopic: true,
      source: 'DYNAMIC_TOPIC_CONFIG',
      readOnly: false,
      sensitive: true,
    };
    writeFileSync(file, JSON.stringify(live));
    const manifest = await kafkaform(['export', '-o', 'manifest', '--debug'], { cwd: dir });
    assert.equal(manifest.code, 0, manifest.stderr);
    assert.doesNotMatch(manifest.stdout + manifest.stderr, /hunter2/);
    assert.match(manifest.stderr, /^warning: topic orders\.shipped\.v1 config ssl\.key\.password is sensitive and was not exported$/m);
    const snapshot = await kafkaform(['export', '-o', 'snapshot', '--debug'], { cwd: dir });
    assert.equal(snapshot.code, 0);
    assert.doesNotMatch(snapshot.stdout + snapshot.stderr, /hunter2/);
  });
});

describe('kafkaform', { concurrency: true }, () => {
  it('prints its version and help', async () => {
    const pkg = JSON.parse(read(join(ROOT, 'package.json'))) as { version: string };
    const v = await kafkaform(['--version'], { cwd: ROOT });
    assert.equal(v.code, 0);
    assert.equal(v.stdout, `${pkg.version}\n`);
    const h = await kafkaform(['plan', '--help'], { cwd: ROOT });
    assert.equal(h.code, 0);
    assert.match(h.stdout, /--detailed-exitcode/);
  });
});

describe('a snapshot taken from another kind of cluster', { concurrency: true }, () => {
  it("validates and plans with that kind's rules (here DigitalOcean's ACL model), errors located", async () => {
    const dir = scratch();
    writeFileSync(
      join(dir, 'live.json'),
      JSON.stringify({ formatVersion: 1, source: { type: 'digitalocean' }, clusterId: 'do-1', topics: [], acls: [], principals: ['User:app'] }),
    );
    writeFileSync(
      join(dir, 'kafkaform.yaml'),
      [
        'apiVersion: kafkaform/v1',
        'clusters:',
        '  do-copy: { type: snapshot, path: ./live.json }',
        'acls:',
        '  - principal: User:app',
        '    resourceType: TOPIC',
        '    resourceName: orders',
        '    operations: [READ]',
        '    permission: DENY',
        '',
      ].join('\n'),
    );
    const v = await kafkaform(['validate'], { cwd: dir });
    assert.equal(v.code, 1);
    assert.equal(
      v.stderr,
      'kafkaform.yaml:8:18: cluster do-copy: DigitalOcean cannot express DENY TOPIC READ on orders (LITERAL) for User:app: it has no DENY permissions. (/acls/0/operations/0)\nerror: 1 problem in the manifests\n',
    );
    const p = await kafkaform(['plan'], { cwd: dir });
    assert.equal(p.code, 1);
    assert.equal(p.stdout, '');
    assert.match(p.stderr, /it has no DENY permissions/);

    // The same manifests against a plain snapshot are fine: the rules come from source.type.
    writeFileSync(join(dir, 'live.json'), JSON.stringify({ formatVersion: 1, source: { type: 'snapshot' }, clusterId: 'k', topics: [], acls: [] }));
    assert.equal((await kafkaform(['validate'], { cwd: dir })).code, 0);
    assert.equal((await kafkaform(['plan', '--detailed-exitcode'], { cwd: dir })).code, 2);
  });
});
