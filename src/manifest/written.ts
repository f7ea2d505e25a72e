/**
 * The manifest as the user writes it (`apiVersion: kafkaform/v1`), after YAML parsing and
 * interpolation, checked against `schemas/manifest.schema.json`. Everything optional stays
 * optional here; `normalize.ts` fills defaults and produces the model's `DesiredState`.
 */
import type { AclOperation, AclPermission, JsonValue, PatternType, ResourceType } from '../model.js';

/** A config value as written: scalars, or a list for list-typed keys such as `cleanup.policy`. */
export type WrittenConfigValue = string | number | boolean | (string | number | boolean)[];

/** `topicDefaults`: fields every topic gets unless it sets them itself. */
export interface WrittenTopicDefaults {
  partitions?: number;
  replicationFactor?: number;
  config?: Record<string, WrittenConfigValue>;
}

/** One entry of `topics`. */
export interface WrittenTopic {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  config?: Record<string, WrittenConfigValue>;
}

/** An explicit ACL entry: one binding per operation. */
export interface WrittenAclBinding {
  principal: string;
  resourceType: ResourceType;
  resourceName: string;
  patternType?: PatternType;
  operations: AclOperation[];
  host?: string;
  permission?: AclPermission;
}

/** ACL role names (the table and its sources: `src/manifest/roles.ts`). */
export const ACL_ROLES = [
  'consumer',
  'producer',
  'admin',
  'idempotent-producer',
  'transactional-producer',
  'streams',
  'connect-worker',
] as const;
/** An ACL role: a named bundle of bindings. */
export type AclRole = (typeof ACL_ROLES)[number];

/**
 * A role ACL entry. Which parameters a role takes is the schema's business (`aclRole<Name>` in the
 * manifest schema); each role reads only its own. In topic, group and transactional id lists a
 * trailing `*` makes a name a prefix and `*` alone is every resource.
 */
export interface WrittenAclRole {
  principal: string;
  role: AclRole;
  host?: string;
  permission?: AclPermission;
  topics?: string[];
  groups?: string[];
  /** transactional-producer: the transactional ids (`transactional.id`) it uses. */
  transactionalIds?: string[];
  /** idempotent-producer, connect-worker: also IDEMPOTENT_WRITE on the cluster (brokers before Kafka 2.8). */
  clusterIdempotentWrite?: boolean;
  /** streams: `application.id`. */
  applicationId?: string;
  /** streams, connect-worker: topics read. */
  inputs?: string[];
  /** streams, connect-worker: topics written. */
  outputs?: string[];
  /** streams (`processing.guarantee: exactly_once_v2`), connect-worker (`exactly.once.source.support`). */
  exactlyOnce?: boolean;
  /** connect-worker: `group.id`. */
  groupId?: string;
  /** connect-worker: `config.storage.topic`. */
  configTopic?: string;
  /** connect-worker: `offset.storage.topic`. */
  offsetTopic?: string;
  /** connect-worker: `status.storage.topic`. */
  statusTopic?: string;
  /** connect-worker: the worker creates its three topics itself (CREATE on them). */
  createTopics?: boolean;
  /** connect-worker: sink connector names (consumer groups `connect-<name>`). */
  sinkConnectors?: string[];
  /** connect-worker: source connector names (transactional ids, with `exactlyOnce`). */
  sourceConnectors?: string[];
}

/** One entry of `acls`. */
export type WrittenAcl = WrittenAclBinding | WrittenAclRole;

/** A topic's per-cluster override: `null` on a config key removes it on that cluster. */
export interface WrittenTopicOverride {
  partitions?: number;
  replicationFactor?: number;
  config?: Record<string, WrittenConfigValue | null>;
}

/** An RFC 6902 operation of an overlay's `patch`. */
export interface WrittenPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: JsonValue;
}

/** `overlays.<cluster>`: how one cluster differs from the shared manifests. */
export interface WrittenOverlay {
  topicDefaults?: WrittenTopicOverride;
  /** `true`: every field of this overlay's `topicDefaults` wins over topics' own values; a list: those fields. */
  forceTopicDefaults?: boolean | string[];
  topics?: Record<string, WrittenTopicOverride>;
  patch?: WrittenPatchOperation[];
  /** Shared principal → this cluster's principal. */
  principals?: Record<string, string>;
  /** This cluster's entries; they replace the shared entries of the principals they name. */
  acls?: WrittenAcl[];
  /** Scope fields that replace the shared scope's on this cluster. */
  scope?: WrittenScope;
}

/** `configKeys`: how config key names are treated. */
export interface WrittenConfigKeys {
  /** Extra vendor prefixes whose keys skip the catalog's unknown-name check. */
  vendorPrefixes?: string[];
  /** Added to the target's list of platform-managed prefixes the planner leaves alone. */
  ignoredPrefixes?: string[];
}

/** A cluster as written: `type` plus connection settings kept verbatim (`${VAR}` unresolved). */
export interface WrittenCluster {
  type: string;
  [setting: string]: JsonValue;
}

/** `scope`: what the manifests own, and therefore what a plan may delete. */
export interface WrittenScope {
  /** Topic name prefixes. */
  topics?: string[];
  /** Consumer group id prefixes. */
  groups?: string[];
  /** Transactional id prefixes. */
  transactionalIds?: string[];
  /** Own the named principals' bindings on the CLUSTER resource. */
  cluster?: boolean;
  /** Principals owned whole, cluster-wide. */
  principals?: string[];
}

/** One YAML document of a manifest file. */
export interface WrittenManifest {
  apiVersion: 'kafkaform/v1';
  clusters?: Record<string, WrittenCluster>;
  scope?: WrittenScope;
  topicDefaults?: WrittenTopicDefaults;
  topics?: WrittenTopic[];
  acls?: WrittenAcl[];
  overlays?: Record<string, WrittenOverlay>;
  configKeys?: WrittenConfigKeys;
}
