/**
 * Writes the benchmark's manifests: one cluster file, the topics, and the ACLs, shaped like what a
 * platform team keeps in git (one entry per topic, configs spelled with units) — the ACLs either
 * as `producer` roles, or written out binding by binding as a generator or `kafkaform export`
 * writes them (one entry per principal and topic, its operations in a flow list).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aclsFor, topicName } from './cluster.js';

/** What the manifests declare. */
export interface DesiredShape {
  kind: 'v3' | 'do' | 'kafka';
  /** Topics 0..topics-1. */
  topics: number;
  /** ACL bindings (see `aclsFor`); 0 for none. */
  acls: number;
  /** Per topic; 6 and 3 unless given (a single real broker holds replication factor 1 only). */
  partitions?: number;
  replicationFactor?: number;
  /** How the ACLs are written: `producer` roles (default) or explicit bindings. */
  aclStyle?: 'roles' | 'explicit';
}

const CLUSTERS = {
  v3: [
    'clusters:',
    '  bench:',
    '    type: confluent',
    '    restUrl: ${BENCH_URL}',
    '    clusterId: lkc-bench1',
    '    auth:',
    '      type: basic',
    '      username: ${BENCH_KEY}',
    '      password: ${BENCH_SECRET}',
  ],
  kafka: [
    'clusters:',
    '  bench:',
    '    type: kafka',
    '    bootstrapServers: ${BENCH_BOOTSTRAP}',
    '    sasl: { mechanism: PLAIN, username: "${BENCH_USER}", password: "${BENCH_PASSWORD}" }',
  ],
  do: [
    'clusters:',
    '  bench:',
    '    type: digitalocean',
    '    apiUrl: ${BENCH_URL}',
    '    databaseId: 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
    '    token: ${BENCH_TOKEN}',
  ],
};

/** Writes the manifests into `dir` (created) and returns it. */
export function writeManifests(dir: string, shape: DesiredShape): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'clusters.yaml'), ['apiVersion: kafkaform/v1', ...CLUSTERS[shape.kind], ''].join('\n'));

  const topics: string[] = ['apiVersion: kafkaform/v1', 'scope:', '  topics: ["bench."]', 'topics:'];
  for (let i = 0; i < shape.topics; i++) {
    topics.push(
      `  - name: ${topicName(i)}`,
      `    partitions: ${shape.partitions ?? 6}`,
      `    replicationFactor: ${shape.replicationFactor ?? 3}`,
      '    config:',
      '      cleanup.policy: delete',
      '      retention.ms: 3d',
    );
  }
  writeFileSync(join(dir, 'topics.yaml'), `${topics.join('\n')}\n`);

  if (shape.acls > 0 && shape.aclStyle === 'explicit') {
    const entries = new Map<string, { principal: string; topic: string; operations: string[] }>();
    for (const acl of aclsFor(shape.topics, shape.acls)) {
      const key = `${acl.principal} ${acl.resourceName}`;
      const entry = entries.get(key) ?? { principal: acl.principal, topic: acl.resourceName, operations: [] };
      entry.operations.push(acl.operation);
      entries.set(key, entry);
    }
    const acls: string[] = ['apiVersion: kafkaform/v1', 'acls:'];
    for (const e of entries.values()) {
      acls.push(
        `  - principal: "${e.principal}"`,
        '    resourceType: TOPIC',
        `    resourceName: ${e.topic}`,
        `    operations: [${e.operations.sort().join(', ')}]`,
      );
    }
    writeFileSync(join(dir, 'acls.yaml'), `${acls.join('\n')}\n`);
  } else if (shape.acls > 0) {
    const byPrincipal = new Map<string, string[]>();
    for (const acl of aclsFor(shape.topics, shape.acls)) {
      if (acl.operation !== 'WRITE') continue;
      const list = byPrincipal.get(acl.principal) ?? [];
      list.push(acl.resourceName);
      byPrincipal.set(acl.principal, list);
    }
    const acls: string[] = ['apiVersion: kafkaform/v1', 'acls:'];
    for (const [principal, names] of byPrincipal) {
      acls.push(`  - principal: "${principal}"`, '    role: producer', '    topics:', ...names.map((n) => `      - ${n}`));
    }
    writeFileSync(join(dir, 'acls.yaml'), `${acls.join('\n')}\n`);
  }
  return dir;
}
