/**
 * The benchmark cluster, one deterministic definition shared by the simulator host (live side)
 * and the manifest writer (desired side), so "no changes" really plans as no change.
 */

/** Topic number `i`: `bench.orders.000042`. */
export function topicName(i: number): string {
  return `bench.orders.${String(i).padStart(6, '0')}`;
}

/** Retention every topic declares: 3 days. */
export const RETENTION_MS = '259200000';
/** Retention of a drifted topic on the cluster: 1 day. */
export const DRIFTED_RETENTION_MS = '86400000';

/** Topic-level overrides of topic `i` on the cluster; every `driftEvery`-th topic has drifted. */
export function liveConfigsFor(i: number, driftEvery: number): Record<string, string> {
  const drifted = driftEvery > 0 && i % driftEvery === 0;
  return { 'cleanup.policy': 'delete', 'retention.ms': drifted ? DRIFTED_RETENTION_MS : RETENTION_MS };
}

/** An ACL binding in the model's field names. */
export interface BenchAcl {
  principal: string;
  host: string;
  resourceType: 'TOPIC';
  resourceName: string;
  patternType: 'LITERAL';
  operation: 'WRITE' | 'DESCRIBE';
  permission: 'ALLOW';
}

/** Principals the producer bindings are spread over. */
const PRINCIPALS = 500;

/**
 * `count` bindings (rounded up to even): producer pairs (WRITE + DESCRIBE) on topics in turn, each
 * topic owned by one of 500 service principals; past two per topic, further rounds use further
 * principals. Pairs keep every binding expressible as a `producer` role in the manifests.
 */
export function aclsFor(topics: number, count: number): BenchAcl[] {
  const out: BenchAcl[] = [];
  const total = count + (count % 2);
  for (let k = 0; k < total && topics > 0; k++) {
    const pair = Math.floor(k / 2);
    const topic = pair % topics;
    const round = Math.floor(pair / topics);
    out.push({
      principal: `User:svc-${round}-${String(topic % PRINCIPALS).padStart(3, '0')}`,
      host: '*',
      resourceType: 'TOPIC',
      resourceName: topicName(topic),
      patternType: 'LITERAL',
      operation: k % 2 === 0 ? 'WRITE' : 'DESCRIBE',
      permission: 'ALLOW',
    });
  }
  return out;
}
