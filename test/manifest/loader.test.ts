import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { ConfigError, ManifestError } from '../../src/errors.js';
import { loadManifests, resolveClusterSettings } from '../../src/manifest/index.js';
import { HEAD, load, problems, show, tree } from './helpers.js';

const CLUSTERS = `${HEAD}clusters:
  prod:
    type: confluent
    restUrl: https://pkc-123.eu-west-1.aws.confluent.cloud/kafka/v3
    auth: { type: basic, username: "\${KAFKA_API_KEY}", password: "\${KAFKA_API_SECRET}" }
  offline:
    type: snapshot
    path: ./live-state.json
`;

describe('file discovery', () => {
  it('reads every *.yaml/*.yml below a directory in sorted order, skipping hidden entries and node_modules', async () => {
    const root = tree({
      'b.yaml': `${HEAD}topics: [{ name: b, partitions: 1, replicationFactor: 1 }]\n`,
      'a/z.yml': `${HEAD}topics: [{ name: az, partitions: 1, replicationFactor: 1 }]\n`,
      'a/b.YAML': `${HEAD}topics: [{ name: ab, partitions: 1, replicationFactor: 1 }]\n`,
      'A.yaml': `${HEAD}topics: [{ name: upper, partitions: 1, replicationFactor: 1 }]\n`,
      'notes.txt': 'not yaml',
      '.github/workflows/ci.yml': 'on: push\n',
      'node_modules/x/y.yaml': 'garbage: [',
    });
    const m = await load([root]);
    assert.deepEqual(m.files.map((f) => f.slice(root.length + 1)), ['A.yaml', 'a/b.YAML', 'a/z.yml', 'b.yaml']);
    assert.deepEqual(m.desiredFor('x').topics.map((t) => t.name), ['ab', 'az', 'b', 'upper']);
  });

  it('reads a file named twice (directly and through its directory) once', async () => {
    const root = tree({ 't.yaml': `${HEAD}topics: [{ name: t, partitions: 1, replicationFactor: 1 }]\n` });
    const m = await load([root, join(root, 't.yaml'), join(root, 't.yaml')]);
    assert.equal(m.files.length, 1);
  });

  it('follows symlinked directories without looping', async () => {
    const root = tree({ 'd/t.yaml': `${HEAD}topics: [{ name: t, partitions: 1, replicationFactor: 1 }]\n` });
    symlinkSync(join(root, 'd'), join(root, 'd', 'loop'));
    const m = await load([root]);
    assert.deepEqual(m.desiredFor('x').topics.map((t) => t.name), ['t']);
  });

  it('skips non-kafkaform YAML found in a directory without a word (listed for --debug), but rejects it when named', async () => {
    const root = tree({
      'docker-compose.yml': 'services: {}\n',
      'chart/templates/deployment.yaml': 'metadata:\n  name: {{ .Release.Name }\n  - broken\n',
      'chart/values.yaml': 'replicaCount: 3\nkafka:\n  topics: [orders]\n',
      'empty.yaml': '# nothing yet\n',
      't.yaml': `${HEAD}topics: [{ name: t, partitions: 1, replicationFactor: 1 }]\n`,
    });
    const m = await load([root]);
    assert.deepEqual(m.warnings, []);
    assert.deepEqual(
      m.skipped.map((f) => f.slice(root.length + 1)),
      ['chart/templates/deployment.yaml', 'chart/values.yaml', 'docker-compose.yml', 'empty.yaml'],
    );
    assert.deepEqual(m.files.map((f) => f.slice(root.length + 1)), ['t.yaml']);
    assert.deepEqual(await problems([join(root, 'docker-compose.yml')], root), [
      'docker-compose.yml:1:1 error missing required property "apiVersion" (every document starts with "apiVersion: kafkaform/v1")',
      'docker-compose.yml:1:1 error unknown property "services"; expected one of apiVersion, clusters, scope, topicDefaults, topics, acls, overlays, configKeys (/services)',
    ]);
  });

  it('checks in full every file that looks like a manifest, whatever its apiVersion says', async () => {
    const topic = 'topics: [{ name: t, partitions: 1, replicationFactor: 1 }]\n';
    const variants: Record<string, string> = {
      'lower.yaml': `apiversion: kafkaform/v1\n${topic}`,
      'snake.yaml': `api_version: kafkaform/v1\n${topic}`,
      'v1.yaml': `apiVersion: v1\n${topic}`,
      'io.yaml': `apiVersion: kafkaform.io/v1\n${topic}`,
      'missing.yaml': topic,
      'typo-only.yaml': 'apiVersion: kafkafrom/v1\n',
      'section-only.yaml': 'configKeys: { vendorPrefixes: [acme.] }\n',
      'crlf.yaml': 'ApiVersion: kafkaform/v1\r\nscope: { topics: [t] }\r\n',
      'broken.yaml': 'apiVersion: kafkaform/v2\nacls: [\n',
    };
    for (const [name, text] of Object.entries(variants)) {
      const root = tree({ [name]: text, 'ok.yaml': `${HEAD}clusters: { c: { type: snapshot, path: x.json } }\n` });
      const found = await problems([root], root);
      assert.ok(found.length > 0 && found.every((p) => p.startsWith(`${name}:`) && / error /.test(p)), `${name}: ${found.join('; ')}`);
    }
  });

  it('refuses broken and looping links in a walked directory, and paths with no manifest at all', async () => {
    const root = tree({
      'm/t.yaml': `${HEAD}topics: [{ name: t, partitions: 1, replicationFactor: 1 }]\n`,
      'ci/plan.yml': 'on: push\njobs: {}\n',
    });
    symlinkSync(join(root, 'gone.yaml'), join(root, 'm', 'link.yaml'));
    symlinkSync(join(root, 'm', 'a.yaml'), join(root, 'm', 'b.yaml'));
    symlinkSync(join(root, 'm', 'b.yaml'), join(root, 'm', 'a.yaml'));
    symlinkSync(join(root, 'elsewhere'), join(root, 'm', 'team'));
    assert.deepEqual(await problems([join(root, 'm'), join(root, 'ci')], root), [
      'ci:0:0 error contains no kafkaform manifest: its one YAML file has neither "apiVersion: kafkaform/v1" nor a kafkaform section (run with --debug to list them)',
      'm/a.yaml:0:0 error is a symbolic link that loops back on itself',
      'm/b.yaml:0:0 error is a symbolic link that loops back on itself',
      `m/link.yaml:0:0 error is a broken symbolic link (its target ${join(root, 'gone.yaml')} does not exist)`,
      `m/team:0:0 error is a broken symbolic link (its target ${join(root, 'elsewhere')} does not exist)`,
    ]);
    execFileSync('mkfifo', [join(root, 'm', 'pipe.yaml')]);
    assert.deepEqual(await problems([join(root, 'm')], root), [
      'm/a.yaml:0:0 error is a symbolic link that loops back on itself',
      'm/b.yaml:0:0 error is a symbolic link that loops back on itself',
      `m/link.yaml:0:0 error is a broken symbolic link (its target ${join(root, 'gone.yaml')} does not exist)`,
      'm/pipe.yaml:0:0 error is not a regular file',
      `m/team:0:0 error is a broken symbolic link (its target ${join(root, 'elsewhere')} does not exist)`,
    ]);
    assert.deepEqual(await problems([join(root, 'm', 'link.yaml')], root), [
      `m/link.yaml:0:0 error is a broken symbolic link (its target ${join(root, 'gone.yaml')} does not exist)`,
    ]);
  });

  it('reports missing paths and empty directories', async () => {
    const root = tree({ 'empty/readme.md': 'x' });
    assert.deepEqual(await problems([join(root, 'nope.yaml'), join(root, 'empty')], root), [
      'empty:0:0 error directory contains no *.yaml or *.yml files',
      'nope.yaml:0:0 error no such file or directory',
    ]);
  });
});

describe('documents, merging and duplicates', () => {
  it('merges multi-document files and several files; outputs are sorted', async () => {
    const root = tree({
      '1.yaml': `${CLUSTERS}---\n${HEAD}topicDefaults: { partitions: 3 }\nscope: { groups: [orders-], cluster: true }\n---\n# only a comment\n`,
      '2.yaml': `${HEAD}topicDefaults: { replicationFactor: 2, config: { retention.ms: 1d } }
scope: { topics: [payments., orders.], transactionalIds: [tx-], cluster: false, principals: [User:zed] }
topics:
  - { name: orders.b }
  - { name: orders.a, partitions: 12, config: { retention.ms: 7d, cleanup.policy: compact } }
acls:
  - { principal: User:b, resourceType: GROUP, resourceName: g, operations: [READ] }
  - { principal: User:a, resourceType: TOPIC, resourceName: orders., patternType: PREFIXED, operations: [WRITE, DESCRIBE], host: 10.0.0.1, permission: DENY }
`,
    });
    const m = await load([root]);
    assert.deepEqual(m.clusters.map((c) => [c.name, c.type]), [['offline', 'snapshot'], ['prod', 'confluent']]);
    const d = m.desiredFor('prod');
    assert.deepEqual(
      d.topics.map(({ source, ...t }) => ({ ...t, at: `${source.line}:${source.column}` })),
      [
        { name: 'orders.a', partitions: 12, replicationFactor: 2, config: { 'cleanup.policy': 'compact', 'retention.ms': '604800000' }, at: '6:5' },
        { name: 'orders.b', partitions: 3, replicationFactor: 2, config: { 'retention.ms': '86400000' }, at: '5:5' },
      ],
    );
    assert.deepEqual(
      d.acls.map(({ source, ...b }) => b),
      [
        { principal: 'User:a', host: '10.0.0.1', resourceType: 'TOPIC', resourceName: 'orders.', patternType: 'PREFIXED', operation: 'DESCRIBE', permission: 'DENY' },
        { principal: 'User:a', host: '10.0.0.1', resourceType: 'TOPIC', resourceName: 'orders.', patternType: 'PREFIXED', operation: 'WRITE', permission: 'DENY' },
        { principal: 'User:b', host: '*', resourceType: 'GROUP', resourceName: 'g', patternType: 'LITERAL', operation: 'READ', permission: 'ALLOW' },
      ],
    );
    // Scopes add up; `cluster: false` in one file does not revoke another file's `true`.
    assert.deepEqual(d.scope, {
      topicPrefixes: ['orders.', 'payments.'],
      groupPrefixes: ['orders-'],
      transactionalIdPrefixes: ['tx-'],
      cluster: true,
      principals: ['User:zed'],
    });
    assert.deepEqual(m.desiredFor('never-declared'), d);
    assert.equal(m.ignoredConfigPrefixes, undefined);
  });

  it('names both places for a topic, an ACL binding, a cluster or a default declared twice', async () => {
    const root = tree({
      'a.yaml': `${CLUSTERS}topicDefaults: { partitions: 3 }
topics: [{ name: t, partitions: 1, replicationFactor: 1 }]
acls:
  - { principal: User:a, resourceType: TOPIC, resourceName: t, operations: [READ] }
`,
      'b.yaml': `${HEAD}clusters:
  prod: { type: snapshot, path: x.json }
topicDefaults: { partitions: 6 }
topics: [{ name: t, partitions: 1, replicationFactor: 1 }]
acls:
  - { principal: User:a, role: consumer, topics: [t] }
`,
    });
    assert.deepEqual(await problems([root], root), [
      `b.yaml:3:3 error cluster "prod" is declared twice: here and at ${root}/a.yaml:3:3 (/clusters/prod)`,
      `b.yaml:4:30 error topicDefaults.partitions is set to 6 here and to 3 at ${root}/a.yaml:10:30 (/topicDefaults/partitions)`,
      `b.yaml:5:18 error topic "t" is declared twice: here and at ${root}/a.yaml:11:18 (/topics/0/name)`,
      `b.yaml:7:51 error ACL binding ALLOW READ for User:a on TOPIC LITERAL "t" from host * is declared twice: here and at ${root}/a.yaml:13:77 (/acls/0/topics/0)`,
    ]);
  });

  it('finds a topic declared twice wherever the list stops being in name order', async () => {
    const topic = (name: string): string => `  - { name: ${name}, partitions: 1, replicationFactor: 1 }\n`;
    const root = tree({
      'a.yaml': `${CLUSTERS}topics:\n${['a', 'b', 'c', 'b', 'd', 'a', 'e', 'e'].map(topic).join('')}`,
      'b.yaml': `${HEAD}topics:\n${['f', 'd'].map(topic).join('')}`,
    });
    const twice = (await problems([root], root)).map((p) => p.replace(/ \(.*/, ''));
    assert.deepEqual(twice, [
      `a.yaml:14:13 error topic "b" is declared twice: here and at line 12:13`,
      `a.yaml:16:13 error topic "a" is declared twice: here and at line 11:13`,
      `a.yaml:18:13 error topic "e" is declared twice: here and at line 17:13`,
      `b.yaml:4:13 error topic "d" is declared twice: here and at ${root}/a.yaml:15:13`,
    ]);
  });

  it('finds a binding declared twice among bindings written in order', async () => {
    const root = tree({
      'a.yaml': `${CLUSTERS}acls:
  - { principal: User:a, resourceType: TOPIC, resourceName: t, operations: [DESCRIBE, READ] }
  - { principal: User:a, resourceType: TOPIC, resourceName: t, operations: [READ, WRITE] }
  - { principal: User:b, resourceType: TOPIC, resourceName: t, operations: [READ] }
`,
    });
    assert.deepEqual(
      (await problems([root], root)).map((p) => p.replace(/ \(.*/, '')),
      ['a.yaml:12:77 error ACL binding ALLOW READ for User:a on TOPIC LITERAL "t" from host * is declared twice: here and at line 11:87'],
    );
  });
});

describe('configKeys', () => {
  it('exposes ignored prefixes (union across files, [] meaning none) and vendor prefixes', async () => {
    const root = tree({
      'a.yaml': `${HEAD}configKeys: { ignoredPrefixes: [confluent.], vendorPrefixes: [acme.] }\n`,
      'b.yaml': `${HEAD}configKeys: { ignoredPrefixes: [aiven., confluent.] }\ntopics: [{ name: t, partitions: 1, replicationFactor: 1, config: { acme.tier: gold } }]\n`,
    });
    const m = await load([root]);
    assert.deepEqual(m.ignoredConfigPrefixes, ['aiven.', 'confluent.']);
    assert.deepEqual(m.vendorConfigPrefixes, ['acme.']);
    assert.deepEqual(m.desiredFor('x').topics[0]?.config, { 'acme.tier': 'gold' });
    const none = tree({ 'a.yaml': `${HEAD}configKeys: { ignoredPrefixes: [] }\n` });
    assert.deepEqual((await load([none])).ignoredConfigPrefixes, []);
  });
});

describe('shared topic defaults', () => {
  it('may repeat the same values (compared normalised) across folders, but not conflict', async () => {
    const same = tree({
      'team-a/d.yaml': `${HEAD}topicDefaults: { replicationFactor: 3, config: { retention.ms: 7d } }\n`,
      'team-b/d.yaml': `${HEAD}topicDefaults: { replicationFactor: 3, config: { retention.ms: 604800000 } }\ntopics: [{ name: t, partitions: 1 }]\n`,
    });
    assert.deepEqual((await load([same])).desiredFor('x').topics[0]?.config, { 'retention.ms': '604800000' });
    const clash = tree({
      'team-a/d.yaml': `${HEAD}topicDefaults: { config: { retention.ms: 7d } }\n`,
      'team-b/d.yaml': `${HEAD}topicDefaults: { config: { retention.ms: 1d } }\n`,
    });
    assert.deepEqual(await problems([clash], clash), [
      `team-b/d.yaml:2:42 error topicDefaults.config.retention.ms is set to "1d" here and to "7d" at ${clash}/team-a/d.yaml:2:42 (/topicDefaults/config/retention.ms)`,
    ]);
  });
});

describe('clusters', () => {
  it('keeps settings verbatim and resolves them only on demand, naming variable, file and line', async () => {
    const root = tree({ 'c.yaml': CLUSTERS });
    const m = await load([root], {});
    const prod = m.clusters.find((c) => c.name === 'prod');
    assert.ok(prod);
    assert.deepEqual(prod.settings['auth'], { type: 'basic', username: '${KAFKA_API_KEY}', password: '${KAFKA_API_SECRET}' });
    assert.equal(prod.baseDir, root);
    assert.deepEqual(resolveClusterSettings(prod, { KAFKA_API_KEY: 'k', KAFKA_API_SECRET: 's3cret' })['auth'], {
      type: 'basic',
      username: 'k',
      password: 's3cret',
    });
    assert.throws(
      () => resolveClusterSettings(prod, { KAFKA_API_KEY: 'k' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message ===
          `${root}/c.yaml:6:66: environment variable KAFKA_API_SECRET is not set (cluster prod, setting auth.password)`,
    );
  });

  it('resolves escapes and never echoes a malformed reference, which may sit inside a secret', async () => {
    const root = tree({
      'c.yaml': `${HEAD}clusters:\n  p: { type: confluent, restUrl: "$\${literal}", auth: { type: bearer, token: "hunter2\${oops" } }\n`,
    });
    const [p] = (await load([root])).clusters;
    assert.ok(p);
    assert.equal(resolveClusterSettings({ ...p, settings: { restUrl: p.settings['restUrl'] ?? null } }, {})['restUrl'], '${literal}');
    assert.throws(
      () => resolveClusterSettings(p, {}),
      (e: unknown) =>
        e instanceof ConfigError &&
        !e.message.includes('hunter2') &&
        e.message ===
          `${root}/c.yaml:3:78: malformed \${...} reference; write \${NAME} or \${NAME:-default}, or $\${ for a literal \${ (cluster p, setting auth.token)`,
    );
  });

  it('checks the settings each type requires', async () => {
    const root = tree({
      'c.yaml': `${HEAD}clusters:
  a: { type: confluent }
  b: { type: digitalocean, databaseId: x }
  c: { type: snapshott, path: x }
  d: { type: confluent, restUrl: u, auth: { type: bearer } }
  "bad name": { type: snapshot, path: x }
`,
    });
    assert.deepEqual(await problems([root], root), [
      'c.yaml:3:6 error missing required property "restUrl" (/clusters/a)',
      'c.yaml:4:6 error missing required property "token" (/clusters/b)',
      'c.yaml:5:14 error "type" must be one of confluent, digitalocean, kafka, snapshot, not "snapshott" (did you mean "snapshot"?) (/clusters/c/type)',
      'c.yaml:6:43 error missing required property "token" (/clusters/d/auth)',
      'c.yaml:7:3 error cluster name "bad name" may contain only letters, digits, ".", "_" and "-", and must start with a letter or digit (/clusters/bad name)',
    ]);
  });

  it('are handed over before topics and ACLs are checked, and only while nothing is an error', async () => {
    // What lets a command read its cluster while the rest is checked (commands/common.ts).
    const TOPIC_ERROR = `${HEAD}topics:\n  - { name: a, partitions: 1, replicationFactor: 1, config: { retention.mss: 1d } }\n`;
    const seen: string[][] = [];
    const onClusters = (clusters: readonly { name: string }[]): void => {
      seen.push(clusters.map((c) => c.name));
    };
    const root = tree({ 'clusters.yaml': CLUSTERS, 'topics.yaml': TOPIC_ERROR });
    await assert.rejects(loadManifests([root], { env: {}, onClusters }), ManifestError);
    assert.deepEqual(seen, [['offline', 'prod']]);

    seen.length = 0;
    const broken = tree({ 'clusters.yaml': `${CLUSTERS}  other: { type: confluent }\n`, 'topics.yaml': TOPIC_ERROR });
    await assert.rejects(loadManifests([broken], { env: {}, onClusters }), ManifestError);
    assert.deepEqual(seen, []);
  });

  it('are handed over before the files that cannot declare one are parsed', async () => {
    // The big topic and ACL files of a generated estate are parsed while the cluster is read.
    const seen: string[][] = [];
    const onClusters = async (clusters: readonly { name: string }[]): Promise<void> => {
      seen.push(clusters.map((c) => c.name));
    };
    const root = tree({ 'a.yaml': `${HEAD}topics: [ { name: a`, 'clusters.yaml': CLUSTERS });
    await assert.rejects(loadManifests([root], { env: {}, onClusters }), ManifestError);
    assert.deepEqual(seen, [['offline', 'prod']]);

    // A double-quoted key may spell "clusters" with escapes: such a file is read among the first.
    seen.length = 0;
    const escaped = tree({ 'a.yaml': `${HEAD}"cl\\x75sters": { other: { type: snapshot, path: x.json } }\n`, 'clusters.yaml': CLUSTERS });
    const manifests = await loadManifests([escaped], { env: {}, onClusters });
    assert.deepEqual(seen, [['offline', 'other', 'prod']]);
    assert.deepEqual(manifests.clusters.map((c) => c.name), ['offline', 'other', 'prod']);
  });
});
