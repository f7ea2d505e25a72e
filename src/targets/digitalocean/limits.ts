/**
 * What DigitalOcean can do and its topic limits: all that is needed offline (validate, plan
 * checks), kept apart from the target so that neither loads the HTTP client.
 */
import type { TargetCapabilities } from '../../model.js';

/** What DigitalOcean can do, in the planner's and executor's terms. */
export const DIGITALOCEAN_CAPABILITIES: TargetCapabilities = {
  dryRun: false,
  replicationFactorChange: true,
  principalsMustExist: true,
  managedConfigPrefixes: [],
};

/** DigitalOcean's documented topic limits (partition count, replication factor). */
export const TOPIC_LIMITS = { minPartitions: 3, maxPartitions: 2048, minReplicationFactor: 2 } as const;

/** Why a topic's partition count or replication factor is outside DigitalOcean's limits. */
export function checkTopicShape(partitions: number | undefined, replicationFactor: number | undefined): string[] {
  const out: string[] = [];
  const { minPartitions, maxPartitions, minReplicationFactor } = TOPIC_LIMITS;
  if (partitions !== undefined && (partitions < minPartitions || partitions > maxPartitions)) {
    out.push(`DigitalOcean topics have ${minPartitions} to ${maxPartitions} partitions, not ${partitions}`);
  }
  if (replicationFactor !== undefined && replicationFactor < minReplicationFactor) {
    out.push(`DigitalOcean topics have a replication factor of at least ${minReplicationFactor}, not ${replicationFactor}`);
  }
  return out;
}
