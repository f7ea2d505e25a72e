/**
 * Semantic rules the schema cannot express. Each is a small function returning every finding
 * (message and severity); callers attach the location.
 */
import type { Severity } from '../errors.js';
import type { AclBinding, AclOperation, ResourceType } from '../model.js';
import { TOPIC_CONFIGS, isVendorConfigKey, suggestConfigName } from '../kafka/configs.js';

/** A rule's finding, before it is placed in a file. */
export interface Finding {
  severity: Severity;
  message: string;
}

const error = (message: string): Finding => ({ severity: 'error', message });
const warning = (message: string): Finding => ({ severity: 'warning', message });

/** Kafka's limit on topic name length. */
export const MAX_TOPIC_NAME_LENGTH = 249;

/** Names Kafka rejects (characters, length, `.`/`..`), and names kafkaform treats as internal. */
export function topicNameFindings(name: string): Finding[] {
  if (name === '') return [error('topic name must not be empty')];
  if (name === '.' || name === '..') return [error(`topic name "${name}" is not allowed by Kafka`)];
  const found: Finding[] = [];
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    found.push(error(`topic name is ${name.length} characters long; Kafka allows at most ${MAX_TOPIC_NAME_LENGTH}`));
  }
  const bad = [...new Set(name.replace(/[a-zA-Z0-9._-]/g, ''))];
  if (bad.length > 0) {
    found.push(
      error(
        `topic name "${name}" contains ${bad.map((c) => JSON.stringify(c)).join(', ')}; Kafka allows only letters, digits, ".", "_" and "-"`,
      ),
    );
  }
  if (name.startsWith('_')) {
    found.push(error(`topic name "${name}" starts with "_", which marks internal topics; kafkaform never creates or changes them`));
  }
  return found;
}

/**
 * Kafka uses `.` and `_` interchangeably in metric names, so two topics whose names differ only
 * there collide. Returns, for each later name, the earlier one it collides with.
 */
export function topicCollisions(names: readonly string[]): { name: string; with: string }[] {
  const first = new Map<string, string>();
  const out: { name: string; with: string }[] = [];
  for (const name of names) {
    const key = name.replace(/\./g, '_');
    const seen = first.get(key);
    if (seen === undefined) first.set(key, name);
    else if (seen !== name) out.push({ name, with: seen });
  }
  return out;
}

/** The warning for a `.`/`_` collision. */
export function collisionFinding(name: string, other: string, otherAt: string): Finding {
  return warning(
    `topic "${name}" collides with "${other}" (${otherAt}): Kafka treats "." and "_" alike in metric names`,
  );
}

/** `scope.topics` entries are plain name prefixes; a glob would silently match nothing. */
export function scopePrefixFindings(prefix: string): Finding[] {
  if (/^[a-zA-Z0-9._-]+$/.test(prefix)) return [];
  const hint = prefix.endsWith('*') && /^[a-zA-Z0-9._-]+$/.test(prefix.slice(0, -1)) ? `; write "${prefix.slice(0, -1)}"` : '';
  return [error(`scope prefix "${prefix}" can never match a topic name: prefixes are plain text, not patterns${hint}`)];
}

/**
 * `scope.groups` and `scope.transactionalIds` entries are plain prefixes too. Kafka allows any
 * character in those ids, so only a trailing `*` (a glob that would own nothing) is refused.
 */
export function idPrefixFindings(key: 'groups' | 'transactionalIds', prefix: string): Finding[] {
  if (!prefix.endsWith('*')) return [];
  const hint = prefix.length > 1 ? `; write "${prefix.slice(0, -1)}"` : '';
  return [error(`scope.${key} prefix "${prefix}" is plain text, not a pattern: it owns only ids starting with "${prefix}"${hint}`)];
}

/** Principals are `Type:name`, e.g. `User:orders-svc`. */
export function principalFindings(principal: string): Finding[] {
  return /^[^:\s]+:\S/.test(principal)
    ? []
    : [error(`principal "${principal}" must be written as Type:name, e.g. User:${principal || 'alice'}`)];
}

/** Operations Kafka's authorizer checks on each resource type (others never match a request). */
const OPERATIONS_BY_RESOURCE: Record<ResourceType, readonly AclOperation[]> = {
  TOPIC: ['ALL', 'ALTER', 'ALTER_CONFIGS', 'CREATE', 'DELETE', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'READ', 'WRITE'],
  GROUP: ['ALL', 'DELETE', 'DESCRIBE', 'READ'],
  CLUSTER: [
    'ALL',
    'ALTER',
    'ALTER_CONFIGS',
    'CLUSTER_ACTION',
    'CREATE',
    'DESCRIBE',
    'DESCRIBE_CONFIGS',
    'IDEMPOTENT_WRITE',
  ],
  TRANSACTIONAL_ID: ['ALL', 'DESCRIBE', 'WRITE'],
  DELEGATION_TOKEN: ['ALL', 'DESCRIBE'],
};

/** Checks on one binding: the cluster resource's fixed name, operations that mean nothing there. */
export function aclBindingFindings(b: AclBinding): Finding[] {
  const found: Finding[] = [];
  if (b.resourceType === 'CLUSTER' && (b.resourceName !== 'kafka-cluster' || b.patternType !== 'LITERAL')) {
    found.push(error('a CLUSTER binding must name the resource "kafka-cluster" with patternType LITERAL'));
  }
  if (b.resourceType === 'TOPIC' && b.resourceName !== '*' && b.resourceName.includes('*')) {
    const prefix = b.resourceName.endsWith('*') ? b.resourceName.slice(0, -1) : undefined;
    found.push(
      warning(
        `resource name "${b.resourceName}" matches no topic: "*" is not a wildcard inside a name` +
          (prefix !== undefined && !prefix.includes('*') && b.patternType === 'LITERAL'
            ? `; write resourceName "${prefix}" with patternType PREFIXED`
            : ''),
      ),
    );
  }
  if (!OPERATIONS_BY_RESOURCE[b.resourceType].includes(b.operation)) {
    found.push(
      warning(
        `operation ${b.operation} has no effect on ${b.resourceType} resources (they use ${OPERATIONS_BY_RESOURCE[b.resourceType].join(', ')})`,
      ),
    );
  }
  return found;
}

/** Roles must grant something, and producers have no groups. */
export function roleFindings(role: string, topics: number, groups: number): Finding[] {
  if (topics === 0 && groups === 0) return [error(`role ${role} grants nothing: list topics or groups`)];
  if (role === 'producer' && groups > 0) return [error('the producer role takes no groups (producers do not join consumer groups)')];
  return [];
}

/** Unknown config names (with a suggestion) and names recent Kafka removed or ignores. */
export function configKeyFindings(key: string, vendorPrefixes: readonly string[]): Finding[] {
  const spec = TOPIC_CONFIGS.get(key);
  if (spec?.deprecated) return [warning(`topic config "${key}" ${spec.deprecated}`)];
  if (spec || isVendorConfigKey(key, vendorPrefixes)) return [];
  const guess = suggestConfigName(key);
  return [
    error(
      `unknown topic config "${key}"` +
        (guess ? ` (did you mean "${guess}"?)` : '; a vendor key needs its prefix in configKeys.vendorPrefixes'),
    ),
  ];
}

/** `min.insync.replicas` above the replication factor makes every acks=all write fail. */
export function minInsyncFindings(topic: string, minInsync: string | undefined, replicationFactor: number): Finding[] {
  if (minInsync === undefined || !/^\d+$/.test(minInsync)) return [];
  const n = Number(minInsync);
  return n > replicationFactor
    ? [
        error(
          `topic "${topic}": min.insync.replicas ${n} is above its replication factor ${replicationFactor}; every write with acks=all would fail`,
        ),
      ]
    : [];
}

/** Cluster names are used on the command line and in overlays. */
export function clusterNameFindings(name: string): Finding[] {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)
    ? []
    : [error(`cluster name "${name}" may contain only letters, digits, ".", "_" and "-", and must start with a letter or digit`)];
}
