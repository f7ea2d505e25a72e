/**
 * The DigitalOcean Managed Kafka kind of cluster: its capabilities, what of a desired state it can
 * express (usable offline, without a token), and how to open one.
 */
import type { ManifestProblem } from '../../errors.js';
import type { ClusterSpec, DesiredState, DesiredTopic } from '../../model.js';
import type { Target, TargetContext, TargetKind } from '../target.js';
import { adaptDesiredAcls } from './acl.js';
import { checkDesiredConfig } from './configs.js';
import { resolveSettings } from '../settings.js';
import { checkDigitalOceanSettings, parseDigitalOceanSettings } from './settings.js';
import { DIGITALOCEAN_CAPABILITIES, checkTopicShape } from './limits.js';

function topicProblem(topic: DesiredTopic, message: string, path = topic.source.path): ManifestProblem {
  const { file, line, column } = topic.source;
  return { severity: 'error', message: `Topic ${topic.name}: ${message}.`, file, line, column, path };
}

/**
 * What DigitalOcean cannot express in the desired state: topic shapes outside its limits, configs
 * its API does not accept (or values it does not take), and ACLs beyond its per-user permissions
 * (see `acl.ts`, which also rewrites the ACLs into DigitalOcean's terms).
 */
export function adaptDesiredForDigitalOcean(desired: DesiredState): { desired: DesiredState; problems: ManifestProblem[] } {
  const problems: ManifestProblem[] = [];
  for (const topic of desired.topics) {
    for (const message of checkTopicShape(topic.partitions, topic.replicationFactor)) problems.push(topicProblem(topic, message));
    for (const key of Object.keys(topic.config).sort()) {
      const message = checkDesiredConfig(key, topic.config[key] as string);
      // Config problems point at the topic: the desired state keeps one location per topic.
      if (message) problems.push(topicProblem(topic, message, `${topic.source.path}/config/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`));
    }
  }
  const acls = adaptDesiredAcls(desired);
  return { desired: acls.desired, problems: [...problems, ...acls.problems] };
}

/** `type: digitalocean` clusters. */
export const digitaloceanKind: TargetKind = {
  type: 'digitalocean',
  capabilities: DIGITALOCEAN_CAPABILITIES,
  adaptDesired: adaptDesiredForDigitalOcean,
  checkSettings: checkDigitalOceanSettings,
  async open(spec: ClusterSpec, env: Record<string, string | undefined>, ctx: TargetContext): Promise<Target> {
    const settings = parseDigitalOceanSettings(resolveSettings(spec, env, checkDigitalOceanSettings, ctx.log), spec.name);
    // Loaded when a cluster is opened: the HTTP client takes longer to load than validate runs.
    const { DigitalOceanTarget } = await import('./target.js');
    return new DigitalOceanTarget(settings, ctx);
  },
};
