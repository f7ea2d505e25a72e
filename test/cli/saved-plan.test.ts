// `apply --plan FILE` through the real binary: a saved plan is applied only when planning again
// from the manifests and the cluster gives exactly that plan; anything else changes nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../src/model.js';
import { copyExample, kafkaform, read } from './helpers.js';

/** The quickstart with a plan saved as plan.json; returns the folder and the snapshot's bytes. */
async function savedQuickstart(extra: string[] = []): Promise<{ dir: string; snapshot: string; before: string; plan: Plan }> {
  const dir = copyExample('quickstart');
  const saved = await kafkaform(['plan', '-o', 'json', '--out', 'plan.json', ...extra], { cwd: dir });
  assert.equal(saved.code, 0, saved.stderr);
  const snapshot = join(dir, 'live-state.json');
  return { dir, snapshot, before: read(snapshot), plan: JSON.parse(read(join(dir, 'plan.json'))) as Plan };
}

const REFUSED_FILE = 'error: plan edited.json is not the plan these manifests give for cluster local: the file was edited, or made by another version of kafkaform; nothing was changed, run plan again\n';

describe('apply --plan', { concurrency: true }, () => {
  it('refuses a saved plan edited to delete an unmanaged topic; the snapshot stays byte for byte', async () => {
    const { dir, snapshot, before, plan } = await savedQuickstart();
    // analytics.clicks is outside the scope: listed as unmanaged, never to be touched.
    assert.ok(plan.unmanaged.some((r) => r.kind === 'topic' && r.name === 'analytics.clicks'));
    plan.actions.push({ phase: 6, action: 'delete', resource: { kind: 'topic', name: 'analytics.clicks' }, changes: [], patch: [{ op: 'remove', path: '' }] });
    plan.summary.delete += 1;
    writeFileSync(join(dir, 'edited.json'), JSON.stringify(plan, null, 2));
    const r = await kafkaform(['apply', '--plan', 'edited.json', '--auto-approve'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, REFUSED_FILE);
    assert.equal(read(snapshot), before);
  });

  it('refuses a saved plan whose options were edited to delete a topic the user held back', async () => {
    const { dir, snapshot, before, plan } = await savedQuickstart();
    plan.options.allowDelete = true;
    plan.actions.push({ phase: 6, action: 'delete', resource: { kind: 'topic', name: 'orders.legacy' }, changes: [], patch: [{ op: 'remove', path: '' }] });
    plan.heldBack = [];
    writeFileSync(join(dir, 'edited.json'), JSON.stringify(plan));
    // Planning again with the edited options makes this deletion too, but the summary was not
    // edited to match: the file is not the plan, and nothing runs.
    const r = await kafkaform(['apply', '--plan', 'edited.json', '--auto-approve'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, REFUSED_FILE);
    assert.equal(read(snapshot), before);
  });

  it('refuses once the manifests changed, naming the manifests; and names both when the cluster changed too', async () => {
    const { dir, snapshot, before } = await savedQuickstart();
    appendFileSync(join(dir, 'topics.yaml'), '  - name: orders.cancelled.v1\n');
    const r = await kafkaform(['apply', '--plan', 'plan.json', '--auto-approve'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'error: the manifests changed since plan plan.json was made; nothing was changed, run plan again\n');
    assert.equal(read(snapshot), before);

    const changed = JSON.parse(before) as { topics: { name: string; partitions: number }[] };
    changed.topics.find((t) => t.name === 'orders.shipped.v1')!.partitions = 8;
    writeFileSync(snapshot, JSON.stringify(changed));
    const stale = read(snapshot);
    const both = await kafkaform(['apply', '--plan', 'plan.json', '--auto-approve'], { cwd: dir });
    assert.equal(both.code, 1);
    assert.equal(
      both.stderr,
      'error: the manifests changed since plan plan.json was made\nerror: cluster local changed since plan plan.json was made; nothing was changed, run plan again\n',
    );
    assert.equal(read(snapshot), stale);
  });

  it('applies a saved plan after an edit of the manifests that changes nothing it does (a comment shifts every line)', async () => {
    const { dir, snapshot, before } = await savedQuickstart();
    writeFileSync(join(dir, 'topics.yaml'), `# moved\n${read(join(dir, 'topics.yaml'))}`);
    const r = await kafkaform(['apply', '--plan', 'plan.json', '--auto-approve', '--quiet'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(read(snapshot), before);
  });

  it('refuses a plan made from other manifests', async () => {
    const { dir: other } = await savedQuickstart();
    const dir = copyExample('overlays');
    // A plan for a cluster these manifests do not declare.
    writeFileSync(join(dir, 'quickstart.json'), read(join(other, 'plan.json')));
    const before = read(join(dir, 'dev-live.json'));
    const r = await kafkaform(['apply', '--plan', 'quickstart.json', '--auto-approve'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: plan quickstart.json was not made from these manifests: they declare no cluster local; nothing was changed\n');

    // Other manifests that also call their snapshot cluster "local", pointing at the quickstart's file.
    const team = join(other, 'team');
    mkdirSync(team);
    writeFileSync(
      join(team, 'kafka.yaml'),
      'apiVersion: kafkaform/v1\nclusters:\n  local: { type: snapshot, path: ../live-state.json }\nscope: { topics: ["inventory."] }\ntopics:\n  - { name: inventory.v1, partitions: 1, replicationFactor: 1 }\n',
    );
    const quickstartBefore = read(join(other, 'live-state.json'));
    const foreign = await kafkaform(['apply', 'team', '--plan', 'plan.json', '--auto-approve'], { cwd: other });
    assert.equal(foreign.code, 1);
    assert.equal(foreign.stderr, 'error: the manifests changed since plan plan.json was made; nothing was changed, run plan again\n');
    assert.equal(read(join(other, 'live-state.json')), quickstartBefore);

    // The same cluster name for another kind of cluster.
    const kinds = copyExample('quickstart');
    writeFileSync(join(kinds, 'plan.json'), read(join(other, 'plan.json')).replace('"type": "snapshot"', '"type": "confluent"'));
    const kind = await kafkaform(['apply', '--plan', 'plan.json', '--auto-approve'], { cwd: kinds });
    assert.equal(kind.code, 1);
    assert.equal(kind.stderr, 'error: plan plan.json was not made from these manifests: it is for a confluent cluster local, they declare local as snapshot; nothing was changed\n');
    assert.equal(read(join(dir, 'dev-live.json')), before);
  });

  it('applies a plan equal to the fresh one without --cluster; refuses a --cluster or KAFKAFORM_CLUSTER that disagrees', async () => {
    const dir = copyExample('overlays');
    const saved = await kafkaform(['plan', '--cluster', 'dev', '-o', 'json', '--out', 'dev.json'], { cwd: dir });
    assert.equal(saved.code, 0, saved.stderr);
    const dev = read(join(dir, 'dev-live.json'));
    const prod = read(join(dir, 'prod-live.json'));

    const wrong = await kafkaform(['apply', '--plan', 'dev.json', '--cluster', 'prod', '--auto-approve'], { cwd: dir });
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr, 'error: plan dev.json was made for cluster dev, not prod; leave out --cluster with --plan\n');
    const env = await kafkaform(['apply', '--plan', 'dev.json', '--auto-approve'], { cwd: dir, env: { KAFKAFORM_CLUSTER: 'prod' } });
    assert.equal(env.code, 1);
    assert.equal(env.stderr, 'error: plan dev.json was made for cluster dev, not prod (from KAFKAFORM_CLUSTER); nothing was changed\n');
    assert.equal(read(join(dir, 'dev-live.json')), dev);

    const applied = await kafkaform(['apply', '--plan', 'dev.json', '--auto-approve', '--quiet'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /^Plan for cluster dev \(snapshot\)/);
    assert.match(applied.stdout, /Apply complete: /);
    assert.notEqual(read(join(dir, 'dev-live.json')), dev);
    assert.equal(read(join(dir, 'prod-live.json')), prod);
    assert.equal((await kafkaform(['plan', '--cluster', 'dev', '--detailed-exitcode'], { cwd: dir })).code, 0);
  });

  it('plans again with the options the plan records: its --allow-delete deletes, other flags are refused', async () => {
    const { dir, snapshot, before } = await savedQuickstart(['--allow-delete']);
    const flag = await kafkaform(['apply', '--plan', 'plan.json', '--max-acl-deletes', '3', '--auto-approve'], { cwd: dir });
    assert.equal(flag.code, 1);
    assert.equal(flag.stderr, 'error: plan plan.json was made with --max-acl-deletes 50, not 3; leave the flag out with --plan\n');
    assert.equal(read(snapshot), before);
    const applied = await kafkaform(['apply', '--plan', 'plan.json', '--auto-approve', '--quiet'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Apply complete: 5 created, 2 updated, 2 deleted\./);
    assert.doesNotMatch(read(snapshot), /orders\.legacy/);

    const held = await savedQuickstart();
    const allow = await kafkaform(['apply', '--plan', 'plan.json', '--allow-delete', '--auto-approve'], { cwd: held.dir });
    assert.equal(allow.code, 1);
    assert.equal(allow.stderr, 'error: plan plan.json was made without --allow-delete; make it with --allow-delete, or leave the flag out with --plan\n');
    assert.equal(read(held.snapshot), held.before);
  });

  it('refuses a plan of format 1 with a sentence saying how to make it again', async () => {
    const { dir, snapshot, before, plan } = await savedQuickstart();
    const { options: _options, desiredDigest: _digest, ...old } = plan;
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ ...old, formatVersion: 1 }));
    const r = await kafkaform(['apply', '--plan', 'old.json', '--auto-approve'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'error: plan old.json has plan format 1, and this kafkaform applies only format 2; nothing was changed, make it again with: kafkaform plan -o json --out old.json\n',
    );
    assert.equal(read(snapshot), before);
  });
});
