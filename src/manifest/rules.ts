/**
 * Semantic rules the schema cannot express. Each is a small function returning every finding
 * (message and severity); callers attach the location.
 */
import type { Severity } from '../errors.js';
import type { AclBinding, AclOperation, ResourceType } from '../model.js';
import { KAFKA_VERSIONS, describeVersions, removal, versionsDefining, type KafkaVersion } from '../kafka/catalog.js';
import { TOPIC_CONFIGS, brokerNameHint, isVendorConfigKey, suggestConfigName } from '../kafka/configs.js';
import type { WrittenAclRole } from './written.js';
import { memoizeByPair } from '../memo.js';

/** A rule's finding, before it is placed in a file. */
export interface Finding {
  severity: Severity;
  message: string;
}

const error = (message: string): Finding => ({ severity: 'error', message });
/** What the checks run on every topic and binding return when all is well (shared: nothing to allocate). */
const NONE: readonly Finding[] = Object.freeze([]);
const warning = (message: string): Finding => ({ severity: 'warning', message });

/** Kafka's limit on topic name length. */
export const MAX_TOPIC_NAME_LENGTH = 249;

/** A name none of the checks below objects to. */
const PLAIN_TOPIC_NAME = /^[a-zA-Z0-9.-][a-zA-Z0-9._-]*$/;

/** Names Kafka rejects (characters, length, `.`/`..`), and names kafkaform treats as internal. */
export function topicNameFindings(name: string): readonly Finding[] {
  // The common case first: generated manifests name thousands of topics.
  if (name.length <= MAX_TOPIC_NAME_LENGTH && PLAIN_TOPIC_NAME.test(name) && name !== '.' && name !== '..') return NONE;
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
  // Two different names collide only where one has "." and the other "_": without any "_" (as
  // in many generated manifests), no two names can.
  if (!names.some((name) => name.includes('_'))) return [];
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
export function principalFindings(principal: string): readonly Finding[] {
  // Generated manifests name the same few principals in thousands of entries.
  let found = principalChecks.get(principal);
  if (!found) principalChecks.set(principal, (found = checkPrincipal(principal)));
  return found;
}

const principalChecks = new Map<string, readonly Finding[]>();

function checkPrincipal(principal: string): readonly Finding[] {
  return /^[^:\s]+:\S/.test(principal)
    ? NONE
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
export function aclBindingFindings(b: AclBinding): readonly Finding[] {
  let found: Finding[] | undefined;
  if (b.resourceType === 'CLUSTER' && (b.resourceName !== 'kafka-cluster' || b.patternType !== 'LITERAL')) {
    (found ??= []).push(error('a CLUSTER binding must name the resource "kafka-cluster" with patternType LITERAL'));
  }
  if (b.resourceType === 'TOPIC' && b.resourceName !== '*' && b.resourceName.includes('*')) {
    const prefix = b.resourceName.endsWith('*') ? b.resourceName.slice(0, -1) : undefined;
    (found ??= []).push(
      warning(
        `resource name "${b.resourceName}" matches no topic: "*" is not a wildcard inside a name` +
          (prefix !== undefined && !prefix.includes('*') && b.patternType === 'LITERAL'
            ? `; write resourceName "${prefix}" with patternType PREFIXED`
            : ''),
      ),
    );
  }
  if (!OPERATIONS_BY_RESOURCE[b.resourceType].includes(b.operation)) {
    (found ??= []).push(
      warning(
        `operation ${b.operation} has no effect on ${b.resourceType} resources (they use ${OPERATIONS_BY_RESOURCE[b.resourceType].join(', ')})`,
      ),
    );
  }
  return found ?? NONE;
}

/**
 * What a role entry's schema cannot say: the plain roles must grant something and producers have
 * no groups; a Streams application id must be able to prefix topic names (its internal topics are
 * `<application.id>-...`); Connect source connectors grant only with `exactlyOnce`. Each finding
 * comes with the parameter it is about (a JSON pointer inside the entry), or none for the entry.
 */
export function roleFindings(entry: WrittenAclRole): { finding: Finding; path?: string }[] {
  const topics = entry.topics?.length ?? 0;
  const groups = entry.groups?.length ?? 0;
  switch (entry.role) {
    case 'consumer':
    case 'producer':
    case 'admin':
      if (topics === 0 && groups === 0) return [{ finding: error(`role ${entry.role} grants nothing: list topics or groups`) }];
      if (entry.role === 'producer' && groups > 0) {
        return [{ finding: error('the producer role takes no groups (producers do not join consumer groups)'), path: '/groups' }];
      }
      return [];
    case 'streams': {
      const id = entry.applicationId ?? '';
      if (id === '' || /^[a-zA-Z0-9._-]+$/.test(id)) return [];
      return [
        {
          finding: error(
            `applicationId "${id}" cannot prefix topic names (Kafka Streams names its internal topics "${id}-..."); Kafka allows only letters, digits, ".", "_" and "-"`,
          ),
          path: '/applicationId',
        },
      ];
    }
    case 'connect-worker':
      if ((entry.sourceConnectors?.length ?? 0) > 0 && entry.exactlyOnce !== true) {
        return [
          {
            finding: error('sourceConnectors grant transactional ids for exactly-once source connectors only: set exactlyOnce: true, or remove them'),
            path: '/sourceConnectors',
          },
        ];
      }
      return [];
    default:
      return [];
  }
}

/**
 * Names no supported Kafka version defines: an error with the topic key a broker-level name
 * stands for, or a close name. Vendor keys pass. Which versions define a known key is
 * `configVersionFindings`' business.
 */
export function configKeyFindings(key: string, vendorPrefixes: readonly string[]): Finding[] {
  if (TOPIC_CONFIGS.has(key) || isVendorConfigKey(key, vendorPrefixes)) return [];
  const broker = brokerNameHint(key);
  if (broker) return [error(`unknown topic config "${key}": ${broker}`)];
  const guess = suggestConfigName(key);
  return [
    error(
      `unknown topic config "${key}"` +
        (guess ? ` (did you mean "${guess}"?)` : '; a vendor key needs its prefix in configKeys.vendorPrefixes'),
    ),
  ];
}

function removalText(key: string, version: KafkaVersion): string | undefined {
  const r = removal(key, version);
  return r ? `was removed in Kafka ${r.removedIn}${r.replacement ? `; ${r.replacement}` : ''}` : undefined;
}

/**
 * A known key against one Kafka version (a cluster's `kafkaVersion`): errors when that version
 * does not define it, saying which version removed it or which versions need it. Without a
 * version, a warning for keys only some supported versions define. Internal keys (defined for
 * Kafka's own tests) get a warning either way.
 */
export const configVersionFindings: (key: string, version: KafkaVersion | undefined) => readonly Finding[] = memoizeByPair(keyVersionFindings);

function keyVersionFindings(key: string, version: KafkaVersion | undefined): Finding[] {
  const spec = TOPIC_CONFIGS.get(key);
  if (!spec) return [];
  const found: Finding[] = [];
  if (spec.internal) found.push(warning(`topic config "${key}" is internal to Kafka (defined for its own tests)`));
  const defining = versionsDefining(key);
  if (version !== undefined) {
    if (defining.includes(version)) return found;
    const removed = removalText(key, version);
    found.push(
      error(
        removed
          ? `topic config "${key}" ${removed} (the cluster's kafkaVersion is ${version})`
          : `topic config "${key}" needs ${describeVersions(defining)}; the cluster's kafkaVersion is ${version}`,
      ),
    );
    return found;
  }
  if (defining.length === KAFKA_VERSIONS.length) return found;
  const newest = KAFKA_VERSIONS[KAFKA_VERSIONS.length - 1];
  const removed = newest === undefined ? undefined : removalText(key, newest);
  found.push(
    warning(
      `topic config "${key}" is known to ${describeVersions(defining)} only` +
        (removed ? ` (it ${removed})` : '') +
        '; set kafkaVersion on the cluster to check it against the version it runs',
    ),
  );
  return found;
}

/** A value some supported versions refuse: an error for the cluster's version, else a warning naming them. */
export function configValueVersionFindings(
  refusedBy: { versions: readonly KafkaVersion[]; message: string },
  key: string,
  version: KafkaVersion | undefined,
  messageFor: (version: KafkaVersion) => string | undefined,
): Finding[] {
  if (version !== undefined) {
    const message = refusedBy.versions.includes(version) ? messageFor(version) : undefined;
    return message ? [error(`${message} (Kafka ${version}, the cluster's kafkaVersion)`)] : [];
  }
  const accepting = versionsDefining(key).filter((v) => !refusedBy.versions.includes(v));
  return [
    warning(
      `${refusedBy.message} on ${describeVersions([...refusedBy.versions])}; only ${describeVersions(accepting)} accept it` +
        ' (set kafkaVersion on the cluster to check it against the version it runs)',
    ),
  ];
}

/** A config value a cross-key rule reads: the canonical value, and whether the manifest wrote it. */
interface RuleInput {
  value: string;
  written: boolean;
}

/** A cross-key finding and the key whose line it belongs to. */
export interface KeyFinding {
  key: string;
  finding: Finding;
}

/** Each tiered-storage local retention key beside the total retention it may not exceed. */
const LOCAL_RETENTION = [
  ['local.retention.bytes', 'retention.bytes'],
  ['local.retention.ms', 'retention.ms'],
] as const;

/**
 * The checks Kafka's LogConfig.validate makes across keys of one topic's config, for `version`
 * (the newest when undefined). A key the manifest does not write counts with Kafka's default; a
 * rule that then breaks only because of a default is a warning, since the cluster's own broker
 * defaults may differ. Each finding names both keys and both values and belongs to the line of
 * the key that breaks the rule.
 */
export function crossKeyFindings(config: ReadonlyMap<string, string>, version: KafkaVersion | undefined): KeyFinding[] {
  const v = version ?? KAFKA_VERSIONS[KAFKA_VERSIONS.length - 1] ?? '4.4';
  const at = (since: KafkaVersion): boolean => KAFKA_VERSIONS.indexOf(v) >= KAFKA_VERSIONS.indexOf(since);
  const get = (key: string): RuleInput | undefined => {
    const written = config.get(key);
    if (written !== undefined) return { value: written, written: true };
    const def = TOPIC_CONFIGS.get(key)?.default;
    return def === undefined ? undefined : { value: def, written: false };
  };
  const out: KeyFinding[] = [];
  const show = (key: string, r: RuleInput): string => `${key} ${r.value}${r.written ? '' : " (Kafka's default)"}`;
  const push = (key: string, other: string, a: RuleInput, b: RuleInput, why: string): void => {
    if (!a.written && !b.written) return;
    const text = `${show(key, a)} ${why} ${show(other, b)}`;
    const severity = a.written && b.written ? 'error' : 'warning';
    const blame = a.written ? key : other;
    out.push({
      key: blame,
      finding: {
        severity,
        message: severity === 'error' ? `${text}; Kafka refuses this` : `${text}; Kafka refuses this unless the cluster's broker defaults differ`,
      },
    });
  };

  const minLag = get('min.compaction.lag.ms');
  const maxLag = get('max.compaction.lag.ms');
  if (minLag && maxLag && BigInt(minLag.value) > BigInt(maxLag.value)) {
    push('min.compaction.lag.ms', 'max.compaction.lag.ms', minLag, maxLag, 'is above');
  }

  const remote = config.get('remote.storage.enable');
  if (remote !== 'true') return out;
  const policy = get('cleanup.policy');
  if (policy) {
    const items = policy.value === '' ? [] : policy.value.split(',');
    // Kafka 4.1 narrowed the rule from "no compact" to "delete only, or an empty list".
    const bad = at('4.1') ? !(items.length === 0 || (items.length === 1 && items[0] === 'delete')) : items.includes('compact');
    if (bad && policy.written) {
      out.push({
        key: 'cleanup.policy',
        finding: error(
          `cleanup.policy ${policy.value} cannot be used with remote.storage.enable true: Kafka ${v} keeps remote (tiered) storage for ` +
            (at('4.1') ? 'topics whose cleanup.policy is delete or empty' : 'topics that are not compacted'),
        ),
      });
    }
  }
  for (const [local, total] of LOCAL_RETENTION) {
    const l = get(local);
    const t = get(total);
    if (!l || !t) continue;
    const lv = BigInt(l.value);
    const tv = BigInt(t.value);
    // retention.bytes counts from -1 up ("> -1"); retention.ms only excludes -1 ("!= -1").
    const limited = total === 'retention.bytes' ? tv > -1n : tv !== -1n;
    if (limited && lv !== -2n) {
      if (lv === -1n) push(local, total, l, t, 'keeps local data without limit, which Kafka forbids while the topic has');
      else if (lv > tv) push(local, total, l, t, 'is above');
    }
  }
  if (at('4.4')) {
    for (const [lag, local, total] of [
      ['remote.copy.lag.bytes', 'local.retention.bytes', 'retention.bytes'],
      ['remote.copy.lag.ms', 'local.retention.ms', 'retention.ms'],
    ] as const) {
      const g = get(lag);
      const l = get(local);
      const t = get(total);
      if (!g || !l || !t) continue;
      const effective = BigInt(l.value) === -2n ? t : l;
      const e = BigInt(effective.value);
      if (BigInt(g.value) > 0n && e >= 0n && BigInt(g.value) > e) {
        push(lag, BigInt(l.value) === -2n ? total : local, g, effective, 'is above the effective local retention');
      }
    }
  }
  if (at('3.9') && config.get('remote.log.copy.disable') === 'true') {
    for (const [local, total] of LOCAL_RETENTION) {
      const l = get(local);
      const t = get(total);
      if (!l || !t || !l.written || BigInt(l.value) === -2n || l.value === t.value) continue;
      const text = `remote.log.copy.disable true needs ${local} equal to ${total} (or -2), but ${show(local, l)} differs from ${show(total, t)}`;
      out.push({
        key: 'remote.log.copy.disable',
        finding: t.written ? error(`${text}; Kafka refuses this`) : warning(`${text}; Kafka refuses this unless the cluster's broker defaults differ`),
      });
    }
  }
  return out;
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
