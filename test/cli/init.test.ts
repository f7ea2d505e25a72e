// `kafkaform init` through the real binary, offline: adopting the state recorded in a snapshot file,
// or a cluster declared in existing manifests, then planning the written folder.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { kafkaform, read, ROOT, scratch, type Run } from './helpers.js';

const SNAPSHOT = read(join(ROOT, 'examples/quickstart/live-state.json'));

function ok(r: Run, what: string): void {
  assert.equal(r.code, 0, `${what} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

/** A scratch folder holding the quickstart's snapshot as `live.json`. */
function withSnapshot(): string {
  const dir = scratch();
  writeFileSync(join(dir, 'live.json'), SNAPSHOT);
  return dir;
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

async function noChange(dir: string, folder: string): Promise<void> {
  const planned = await kafkaform(['plan', folder, '--detailed-exitcode'], { cwd: dir });
  ok(planned, `plan ${folder}`);
  assert.match(planned.stdout, /No changes\. The cluster matches the manifests\./);
  assert.equal(planned.stderr, '');
}

describe('kafkaform init', { concurrency: true }, () => {
  it('adopts a snapshot into a folder that plans as no change', async () => {
    const dir = withSnapshot();
    const r = await kafkaform(['init', 'adopted', '--from-snapshot', 'live.json', '--cluster', 'local'], { cwd: dir });
    ok(r, 'init');
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      [
        'Adopted 5 topics and 7 ACL bindings of cluster local into adopted:',
        '  adopted/acls.yaml',
        '  adopted/clusters.yaml',
        '  adopted/kafkaform.yaml',
        '  adopted/topics.yaml',
        '',
        'Next: kafkaform plan adopted (it should show no changes), then commit the folder.',
        '',
      ].join('\n'),
    );
    assert.equal(
      read(join(dir, 'adopted/clusters.yaml')),
      '# Adopted by kafkaform init from cluster local (snapshot).\n\napiVersion: kafkaform/v1\nclusters:\n  local:\n    type: snapshot\n    path: ../live.json\n',
    );
    assert.equal(
      read(join(dir, 'adopted/kafkaform.yaml')),
      [
        '# Adopted by kafkaform init from cluster local (snapshot).',
        '',
        'apiVersion: kafkaform/v1',
        'scope:',
        '  topics: [analytics., orders., payments.]',
        '  principals: [User:analytics, User:billing, User:orders-svc]',
        'topicDefaults:',
        '  partitions: 6',
        '  replicationFactor: 3',
        '',
      ].join('\n'),
    );
    const acls = read(join(dir, 'adopted/acls.yaml'));
    assert.match(acls, /- principal: User:billing\n {4}role: consumer\n {4}topics: \[orders\.created\.v1\]\n {4}groups: \[billing\]\n/);
    assert.match(acls, /- principal: User:orders-svc\n {4}role: producer\n {4}topics: \["?orders\.\*"?\]\n/);
    assert.match(read(join(dir, 'adopted/topics.yaml')), /retention\.ms: 1d\n/);
    ok(await kafkaform(['validate', 'adopted'], { cwd: dir }), 'validate');
    await noChange(dir, 'adopted');
  });

  it('splits by prefix into a file per topic prefix and per principal', async () => {
    const dir = withSnapshot();
    ok(await kafkaform(['init', 'adopted', '--from-snapshot', 'live.json', '--split-by-prefix'], { cwd: dir }), 'init');
    assert.deepEqual(files(join(dir, 'adopted')), [
      'acls/analytics.yaml',
      'acls/billing.yaml',
      'acls/orders-svc.yaml',
      'clusters.yaml',
      'kafkaform.yaml',
      'topics/analytics.yaml',
      'topics/orders.yaml',
      'topics/payments.yaml',
    ]);
    assert.match(read(join(dir, 'adopted/clusters.yaml')), /\n {2}default:\n {4}type: snapshot\n/);
    await noChange(dir, 'adopted');
  });

  it('adopts only what --prefix selects, and owns exactly that', async () => {
    const dir = withSnapshot();
    const r = await kafkaform(['init', 'adopted', '--from-snapshot', 'live.json', '--prefix', 'orders.'], { cwd: dir });
    ok(r, 'init');
    assert.match(r.stdout, /^Adopted 3 topics and 5 ACL bindings of cluster default into adopted:\n/);
    assert.match(read(join(dir, 'adopted/kafkaform.yaml')), /scope:\n {2}topics: \[orders\.\]\n {2}groups: \[orders\.\]\n {2}transactionalIds: \[orders\.\]\n/);
    const planned = await kafkaform(['plan', 'adopted', '--detailed-exitcode', '--allow-delete'], { cwd: dir });
    ok(planned, 'plan');
    assert.match(planned.stdout, /No changes/);
  });

  it('adopts a cluster declared in existing manifests, keeping its file paths pointing at the same files', async () => {
    const dir = withSnapshot();
    mkdirSync(join(dir, 'old'));
    writeFileSync(join(dir, 'old/clusters.yaml'), 'apiVersion: kafkaform/v1\nclusters:\n  prod:\n    type: snapshot\n    path: ../live.json\nconfigKeys:\n  ignoredPrefixes: [segment.]\n');
    ok(await kafkaform(['init', 'new/prod', 'old'], { cwd: dir }), 'init');
    const clusters = read(join(dir, 'new/prod/clusters.yaml'));
    assert.match(clusters, /\n {2}prod:\n {4}type: snapshot\n {4}path: \.\.\/\.\.\/live\.json\n/);
    assert.match(read(join(dir, 'new/prod/kafkaform.yaml')), /configKeys:\n {2}ignoredPrefixes: \[segment\.\]\n/);
    assert.doesNotMatch(read(join(dir, 'new/prod/topics.yaml')), /segment\.ms/);
    await noChange(dir, 'new/prod');
  });

  it('refuses to overwrite files unless --force, and writes nothing then', async () => {
    const dir = withSnapshot();
    mkdirSync(join(dir, 'adopted'));
    writeFileSync(join(dir, 'adopted/topics.yaml'), 'mine\n');
    const r = await kafkaform(['init', 'adopted', '--from-snapshot', 'live.json'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, 'error: adopted/topics.yaml already exists; nothing was written (use --force to overwrite)\n');
    assert.deepEqual(files(join(dir, 'adopted')), ['topics.yaml']);
    assert.equal(read(join(dir, 'adopted/topics.yaml')), 'mine\n');
    ok(await kafkaform(['init', 'adopted', '--from-snapshot', 'live.json', '--force'], { cwd: dir }), 'init --force');
    assert.match(read(join(dir, 'adopted/topics.yaml')), /^# Adopted by kafkaform init/);
    await noChange(dir, 'adopted');
  });

  it('says what is missing when there is no cluster to adopt or the flags do not fit', async () => {
    const dir = scratch();
    const none = await kafkaform(['init', 'adopted'], { cwd: dir });
    assert.equal(none.code, 1);
    assert.equal(
      none.stderr,
      'error: no cluster to adopt; name manifests declaring it (kafkaform init DIR clusters.yaml), declare it with --type and --set, or give --from-snapshot FILE\n',
    );
    writeFileSync(join(dir, 'topics.yaml'), 'apiVersion: kafkaform/v1\ntopics: []\n');
    const undeclared = await kafkaform(['init', 'adopted', '.'], { cwd: dir });
    assert.equal(undeclared.code, 1);
    assert.match(undeclared.stderr, /no cluster to adopt: the manifests declare none; name manifests/);
    const noType = await kafkaform(['init', 'adopted', '--set', 'bootstrapServers=b:9092'], { cwd: dir });
    assert.equal(noType.code, 1);
    assert.match(noType.stderr, /--set needs --type: the kind of cluster the settings are for/);
    const bad = await kafkaform(['init', 'adopted', '--type', 'kafka', '--set', 'bootstrapServers=nohost'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /cluster default: bootstrapServers must hold host:port addresses .* \(--set bootstrapServers\)/);
    const prefix = await kafkaform(['init', 'adopted', '--type', 'kafka', '--set', 'bootstrapServers=b:9092', '--prefix', 'orders.*'], { cwd: dir });
    assert.equal(prefix.code, 1);
    assert.match(prefix.stderr, /--prefix: scope prefix "orders\.\*" can never match a topic name/);
    assert.equal(existsSync(join(dir, 'adopted')), false);
  });
});
