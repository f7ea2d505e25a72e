import type { ClusterSpec, TargetCapabilities } from '../../model.js';
import { resolveSettings } from '../settings.js';
import type { Target, TargetContext, TargetKind } from '../target.js';
import { checkKafkaSettings, parseKafkaSettings } from './settings.js';

/**
 * What a Kafka cluster reached natively can do: server-side dry runs (`validate_only`),
 * replication-factor changes by partition reassignment (`reassignment.ts`); its DescribeConfigs
 * answers list every topic config its brokers know.
 */
export const KAFKA_CAPABILITIES: TargetCapabilities = {
  dryRun: true,
  replicationFactorChange: true,
  principalsMustExist: false,
  managedConfigPrefixes: [],
  reportsAllTopicConfigs: true,
};

/** `type: kafka`: Apache Kafka, Amazon MSK, Aiven, Redpanda, Strimzi, through Kafka's own protocol. */
export const kafkaKind: TargetKind = {
  type: 'kafka',
  capabilities: KAFKA_CAPABILITIES,
  checkSettings: checkKafkaSettings,
  async open(spec: ClusterSpec, env: Record<string, string | undefined>, ctx: TargetContext): Promise<Target> {
    const settings = parseKafkaSettings(resolveSettings(spec, env, checkKafkaSettings, ctx.log), spec.name, spec.baseDir, env);
    // Loaded only when a kafka cluster is opened: the client library takes longer to load than
    // the rest of kafkaform, and every other command and kind of cluster does without it.
    const [{ KafkaClient }, { KafkaTarget }] = await Promise.all([import('./client.js'), import('./target.js')]);
    if (settings.tls?.insecureSkipTlsVerify === true) {
      ctx.log(`WARNING: TLS certificate verification is disabled for cluster ${spec.name} (insecureSkipTlsVerify); credentials can be intercepted.`);
    }
    const client = new KafkaClient(settings, spec.name, {
      ...(ctx.debug ? { debug: (line: string) => ctx.log(line) } : {}),
      ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
      ...(ctx.progress !== undefined ? { meter: ctx.progress } : {}),
    });
    return new KafkaTarget(client, spec.name, KAFKA_CAPABILITIES, ctx);
  },
};
