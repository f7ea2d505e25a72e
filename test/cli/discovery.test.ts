// Manifest discovery through the real binary: a manifest folder in which one file went wrong (a
// misspelt apiVersion, a broken or looping link, bytes that are not UTF-8) must stop every command
// with the file's place, and never let `apply --allow-delete` delete what that file declares.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyExample, kafkaform, read, scratch } from './helpers.js';

const ORDERS = `apiVersion: kafkaform/v1
topics:
  - { name: orders.created.v1, partitions: 6, replicationFactor: 3 }
  - { name: orders.shipped.v1, partitions: 6, replicationFactor: 3 }
acls:
  - { principal: User:orders-svc, role: producer, topics: ["orders.*"] }
`;

/**
 * The quickstart's snapshot, with manifests split by team and the scope in the clusters file (as
 * many repositories have it), applied once so that the cluster matches the manifests exactly.
 */
async function converged(): Promise<string> {
  const dir = copyExample('quickstart');
  rmSync(join(dir, 'topics.yaml'));
  rmSync(join(dir, 'acls.yaml'));
  writeFileSync(
    join(dir, 'clusters.yaml'),
    `apiVersion: kafkaform/v1
clusters:
  local: { type: snapshot, path: ./live-state.json }
scope: { topics: [orders., payments.], principals: [User:orders-svc, User:payments-svc] }
`,
  );
  mkdirSync(join(dir, 'teams'));
  writeFileSync(join(dir, 'teams', 'orders.yaml'), ORDERS);
  writeFileSync(
    join(dir, 'teams', 'payments.yaml'),
    `apiVersion: kafkaform/v1
topics: [{ name: payments.settled.v1, partitions: 6, replicationFactor: 3 }]
`,
  );
  const r = await kafkaform(['apply', '--allow-delete', '--auto-approve'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

/** What can go wrong with teams/orders.yaml, and the problem each must report. */
const CORRUPTIONS: Array<{ name: string; corrupt(file: string): void; problem: RegExp }> = [
  {
    name: 'apiVersion spelt apiversion',
    corrupt: (f) => writeFileSync(f, ORDERS.replace('apiVersion', 'apiversion')),
    problem: /^teams\/orders\.yaml:1:1: unknown property "apiversion" \(did you mean "apiVersion"\?\) \(\/apiversion\)$/m,
  },
  {
    name: 'apiVersion: v1',
    corrupt: (f) => writeFileSync(f, ORDERS.replace('kafkaform/v1', 'v1')),
    problem: /^teams\/orders\.yaml:1:13: unknown apiVersion "v1" \(did you mean "kafkaform\/v1"\?\) \(\/apiVersion\)$/m,
  },
  {
    name: 'apiVersion: kafkaform.io/v1',
    corrupt: (f) => writeFileSync(f, ORDERS.replace('kafkaform/v1', 'kafkaform.io/v1')),
    problem: /^teams\/orders\.yaml:1:13: unknown apiVersion "kafkaform\.io\/v1" \(did you mean "kafkaform\/v1"\?\)/m,
  },
  {
    name: 'no apiVersion',
    corrupt: (f) => writeFileSync(f, ORDERS.replace('apiVersion: kafkaform/v1\n', '')),
    problem: /^teams\/orders\.yaml:1:1: missing required property "apiVersion" \(every document starts with "apiVersion: kafkaform\/v1"\)$/m,
  },
  {
    name: 'bytes that are not UTF-8',
    corrupt: (f) => writeFileSync(f, Buffer.concat([Buffer.from(ORDERS.slice(0, 40)), Buffer.from([0xc3, 0x28]), Buffer.from(ORDERS.slice(40))])),
    problem: /^teams\/orders\.yaml: is not valid UTF-8 text \(first bad byte at offset 40\)$/m,
  },
  {
    name: 'a broken link',
    corrupt: (f) => {
      rmSync(f);
      symlinkSync('orders-v2.yaml', f);
    },
    problem: /^teams\/orders\.yaml: is a broken symbolic link \(its target orders-v2\.yaml does not exist\)$/m,
  },
  {
    name: 'a looping link',
    corrupt: (f) => {
      rmSync(f);
      symlinkSync('orders.yaml', f);
    },
    problem: /^teams\/orders\.yaml: is a symbolic link that loops back on itself$/m,
  },
];

describe('a manifest folder with one bad file', { concurrency: true }, () => {
  for (const { name, corrupt, problem } of CORRUPTIONS) {
    it(`${name}: validate names the file, apply --allow-delete deletes nothing`, async () => {
      const dir = await converged();
      corrupt(join(dir, 'teams', 'orders.yaml'));
      const before = read(join(dir, 'live-state.json'));

      const v = await kafkaform(['validate', '.'], { cwd: dir });
      assert.equal(v.code, 1, v.stdout);
      assert.match(v.stderr, problem);
      assert.doesNotMatch(v.stderr, /skipped/);
      assert.equal(v.stdout, '');

      const r = await kafkaform(['apply', '--allow-delete', '--auto-approve'], { cwd: dir });
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, problem);
      assert.equal(r.stdout, '');
      assert.equal(read(join(dir, 'live-state.json')), before);
    });
  }
});

describe('folders holding other YAML', { concurrency: true }, () => {
  it('skips CI workflows, compose files and Helm values without a word, and lists them once with --debug', async () => {
    const dir = await converged();
    writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  kafka: { image: "apache/kafka:4.0.0" }\n');
    mkdirSync(join(dir, 'chart'));
    writeFileSync(join(dir, 'chart', 'values.yaml'), 'replicaCount: 2\nkafka:\n  topics: [orders.created.v1]\n');
    const quiet = await kafkaform(['validate'], { cwd: dir });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
    const debug = await kafkaform(['validate', '--debug'], { cwd: dir });
    assert.equal(debug.code, 0, debug.stderr);
    assert.equal(debug.stderr, 'Skipped 2 YAML files that are not a kafkaform manifest:\n  chart/values.yaml\n  docker-compose.yml\n');
    const plan = await kafkaform(['plan', '--allow-delete', '--detailed-exitcode'], { cwd: dir });
    assert.equal(plan.code, 0, plan.stdout);
  });

  it('refuses a folder of CI workflows: there is no manifest in it', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'workflows'));
    writeFileSync(join(dir, 'workflows', 'plan.yml'), readFileSync(new URL('../../examples/github/kafkaform-plan.yml', import.meta.url)));
    writeFileSync(join(dir, 'workflows', 'drift.yml'), readFileSync(new URL('../../examples/github/kafkaform-drift.yml', import.meta.url)));
    const r = await kafkaform(['validate', 'workflows'], { cwd: dir });
    assert.equal(r.code, 1, r.stdout);
    assert.equal(
      r.stderr,
      'workflows: contains no kafkaform manifest: none of its 2 YAML files has "apiVersion: kafkaform/v1" or a kafkaform section (run with --debug to list them)\nerror: 1 problem in the manifests\n',
    );
  });
});
