import type { ClusterSpec, TargetCapabilities } from '../../model.js';
import type { Target, TargetContext, TargetKind } from '../target.js';
import { resolveSettings } from '../settings.js';
import { checkConfluentSettings, parseConfluentSettings } from './settings.js';

/**
 * Confluent's own topic configs (schema validation, subject name strategies, tiering, placement):
 * Confluent Cloud reports them on every topic, so they are ignored unless a manifest names them.
 */
export const CONFLUENT_MANAGED_PREFIXES: readonly string[] = ['confluent.'];

/**
 * What a REST v3 cluster can do: server-side dry runs, no replication-factor change; its topic
 * config listings include every config its Kafka knows.
 */
export const CONFLUENT_CAPABILITIES: TargetCapabilities = {
  dryRun: true,
  replicationFactorChange: false,
  principalsMustExist: false,
  managedConfigPrefixes: [...CONFLUENT_MANAGED_PREFIXES],
  reportsAllTopicConfigs: true,
};

/** `type: confluent`: Confluent Cloud (`/kafka/v3`), Confluent Server and REST Proxy (`/v3`). */
export const confluentKind: TargetKind = {
  type: 'confluent',
  capabilities: CONFLUENT_CAPABILITIES,
  checkSettings: checkConfluentSettings,
  async open(spec: ClusterSpec, env: Record<string, string | undefined>, ctx: TargetContext): Promise<Target> {
    const settings = parseConfluentSettings(resolveSettings(spec, env, checkConfluentSettings, ctx.log), spec.name, spec.baseDir);
    // Loaded when a cluster is opened: the HTTP client takes longer to load than validate runs.
    const { ConfluentTarget } = await import('./target.js');
    return new ConfluentTarget(settings, CONFLUENT_CAPABILITIES, ctx);
  },
};
