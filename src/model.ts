/**
 * The normalised model shared by every stage of the pipeline:
 * manifest → desired state, target → live state, planner → plan, executor ← plan.
 *
 * Types for what the user wrote live in `src/manifest/written.ts`; nothing here is optional
 * because a user left it out — defaults are already applied.
 */
import type { KafkaVersion } from './kafka/catalog.js';

/** A place in a manifest file, for messages that point at what the user wrote. */
export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** JSON pointer of the node inside its YAML document, e.g. `/topics/0/config/retention.ms`. */
  path: string;
}

/** Any JSON value; used where plans carry values of mixed types. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------------
// ACLs

/** Kafka resource types an ACL binding can name. */
export const RESOURCE_TYPES = ['CLUSTER', 'DELEGATION_TOKEN', 'GROUP', 'TOPIC', 'TRANSACTIONAL_ID'] as const;
/** A Kafka ACL resource type. */
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Pattern types a manifest may use (Kafka's MATCH and ANY are filters, not bindings). */
export const PATTERN_TYPES = ['LITERAL', 'PREFIXED'] as const;
/** A Kafka ACL pattern type. */
export type PatternType = (typeof PATTERN_TYPES)[number];

/** Kafka ACL operations (ANY and UNKNOWN are filters, not grantable). */
export const ACL_OPERATIONS = [
  'ALL',
  'ALTER',
  'ALTER_CONFIGS',
  'CLUSTER_ACTION',
  'CREATE',
  'CREATE_TOKENS',
  'DELETE',
  'DESCRIBE',
  'DESCRIBE_CONFIGS',
  'DESCRIBE_TOKENS',
  'IDEMPOTENT_WRITE',
  'READ',
  'WRITE',
] as const;
/** A Kafka ACL operation. */
export type AclOperation = (typeof ACL_OPERATIONS)[number];

/** ACL permissions. */
export const ACL_PERMISSIONS = ['ALLOW', 'DENY'] as const;
/** A Kafka ACL permission. */
export type AclPermission = (typeof ACL_PERMISSIONS)[number];

/**
 * One ACL binding: Kafka's unit of access control. Two bindings are the same binding exactly when
 * all seven fields are equal.
 */
export interface AclBinding {
  /** `User:alice`, `User:CN=svc,OU=x`, `Group:ops`, ... */
  principal: string;
  /** `*` for any host. */
  host: string;
  resourceType: ResourceType;
  resourceName: string;
  patternType: PatternType;
  operation: AclOperation;
  permission: AclPermission;
}

// ---------------------------------------------------------------------------------------------
// Desired state (from manifests, after interpolation, overlays, defaults and normalisation)

/** A topic as the manifests want it. */
export interface DesiredTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Kafka config name → canonical Kafka string value (see `src/kafka/configs.ts`). */
  config: Record<string, string>;
  source: SourceLocation;
}

/** An ACL binding the manifests want, with where it was declared. */
export interface DesiredAcl extends AclBinding {
  source: SourceLocation;
  /** The ACL role whose entry expands to this binding; absent for bindings written explicitly. */
  role?: string;
}

/**
 * What the manifests own, and therefore what the planner may delete. A live ACL binding is owned
 * when its principal is in `principals`, or when the manifests name its principal and its resource
 * lies inside what they own: the resource prefixes below, `cluster`, or a resource they grant that
 * principal (the rule in full: `src/plan/ownership.ts` and the README's "Who owns an ACL binding").
 */
export interface Scope {
  /**
   * Topic name prefixes (`scope.topics`): the topics, and the named principals' TOPIC bindings,
   * inside them. Empty means the manifests own no topic beyond those they declare, so no topic is
   * ever deleted.
   */
  topicPrefixes: string[];
  /** Consumer group id prefixes (`scope.groups`): the named principals' GROUP bindings inside them. */
  groupPrefixes: string[];
  /** Transactional id prefixes (`scope.transactionalIds`): the named principals' TRANSACTIONAL_ID bindings. */
  transactionalIdPrefixes: string[];
  /** `scope.cluster`: the named principals' ALLOW bindings on the CLUSTER resource are owned. */
  cluster: boolean;
  /** `scope.principals`: principals every binding of which, cluster-wide, the manifests own. */
  principals: string[];
}

/** The desired state of one cluster, ready for the planner. Lists are sorted. */
export interface DesiredState {
  topics: DesiredTopic[];
  acls: DesiredAcl[];
  scope: Scope;
}

// ---------------------------------------------------------------------------------------------
// Live state (from a target, normalised at the target's boundary)

/** Where a config's effective value comes from, in Kafka's terms. */
export type ConfigSource =
  | 'DYNAMIC_TOPIC_CONFIG'
  | 'DYNAMIC_BROKER_LOGGER_CONFIG'
  | 'DYNAMIC_BROKER_CONFIG'
  | 'DYNAMIC_DEFAULT_BROKER_CONFIG'
  | 'STATIC_BROKER_CONFIG'
  | 'DEFAULT_CONFIG'
  | 'UNKNOWN';

/** One config entry of a live topic. */
export interface LiveConfig {
  /**
   * The effective value as a canonical Kafka string; null when the server hides it (sensitive)
   * or has none.
   */
  value: string | null;
  /** True when the value is set on the topic itself (source DYNAMIC_TOPIC_CONFIG). */
  setOnTopic: boolean;
  source: ConfigSource;
  /**
   * The value the topic would have after this key is reset (DELETE): the next synonym below the
   * topic level. Undefined when the target cannot tell.
   */
  inheritedValue?: string | null;
  readOnly: boolean;
  sensitive: boolean;
}

/** A topic as the cluster has it. */
export interface LiveTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Kafka-internal topic (`is_internal`); never touched. */
  internal: boolean;
  /** Config name → entry; includes inherited entries when the target reports them. */
  configs: Record<string, LiveConfig>;
}

/** The live state of one cluster. Lists are sorted (topics by name, ACLs by binding key). */
export interface LiveState {
  clusterId: string;
  topics: LiveTopic[];
  acls: AclBinding[];
  /**
   * Principals that exist on the cluster, for targets whose ACLs hang off pre-existing users
   * (DigitalOcean). Undefined when the target has no such notion.
   */
  principals?: string[];
  /**
   * Set when the cluster cannot have ACLs (a Kafka cluster without an authorizer answers every ACL
   * request with SECURITY_DISABLED): one sentence saying so. `acls` is then empty, and ACLs in
   * the manifests are a plan error rather than creates.
   */
  aclsUnavailable?: string;
}

// ---------------------------------------------------------------------------------------------
// Targets' declared capabilities

/** What a kind of cluster can do; the planner and executor ask these instead of naming targets. */
export interface TargetCapabilities {
  /** Topic creates and config alters can be dry-run on the server (`validate_only`). */
  dryRun: boolean;
  /** The replication factor of an existing topic can be changed. */
  replicationFactorChange: boolean;
  /** ACL bindings must belong to principals listed in `LiveState.principals`. */
  principalsMustExist: boolean;
  /**
   * Config key prefixes a managed platform sets on every topic itself; keys matching them are
   * ignored unless the manifest names them.
   */
  managedConfigPrefixes: string[];
  /**
   * Reading a topic reports every config the cluster's Kafka knows for it (defaults included), so
   * the live state is the catalog of record: a desired key no live topic reports is an error.
   */
  reportsAllTopicConfigs?: boolean;
}

// ---------------------------------------------------------------------------------------------
// The plan: a value, saved to files, rendered, and executed step by step

/** Plan phases, executed strictly in this order. */
export const PHASES = {
  createTopics: 1,
  increasePartitions: 2,
  alterConfigs: 3,
  createAcls: 4,
  deleteAcls: 5,
  deleteTopics: 6,
} as const;
/** A plan phase number, 1..6. */
export type Phase = (typeof PHASES)[keyof typeof PHASES];

/** The resource an action, error or note is about. */
export type PlanResource = { kind: 'topic'; name: string } | ({ kind: 'acl' } & AclBinding);

/** One field's change inside an action. `from: null` on create, `to: null` on a config reset. */
export interface PlanChange {
  /** `partitions`, `replicationFactor` or `config.<key>`. */
  field: string;
  from: JsonValue;
  to: JsonValue;
  /** Set when the value is sensitive; then `from`/`to` are redacted and never hold the secret. */
  sensitive?: boolean;
  /**
   * On a config reset (`to: null`): the value the key falls back to (broker setting or Kafka
   * default), when the cluster reports it. For readers only; the executor sends the reset.
   */
  inherited?: string;
}

/** An RFC 6902 operation, from the live resource to the desired one. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: JsonValue;
}

/** One step the executor performs. */
export interface PlanAction {
  phase: Phase;
  action: 'create' | 'update' | 'delete';
  resource: PlanResource;
  changes: PlanChange[];
  patch: PatchOperation[];
  /** ACL creates: the role the manifests grant this binding through, when they use one. */
  role?: string;
}

/** Something the plan cannot do; any error makes `plan` and `apply` exit 1. */
export interface PlanError {
  /** Absent for plan-wide errors (e.g. the ACL-deletion blast-radius guard). */
  resource?: PlanResource;
  reason: string;
}

/** A change the planner found but will not make without an explicit flag (topic deletions). */
export interface HeldBack {
  resource: PlanResource;
  reason: string;
}

/** The plan format this version of kafkaform writes and applies (`formatVersion`). */
export const PLAN_FORMAT_VERSION = 2;

/** The user's choices a plan was made with; `apply --plan` plans again with the same ones. */
export interface PlanSettings {
  /** Topic deletions in scope were planned (`--allow-delete`) instead of held back. */
  allowDelete: boolean;
  /** The ACL-deletion limit the plan was checked against (`--max-acl-deletes`). */
  maxAclDeletes: number;
  /**
   * The `--target` selectors the plan was restricted to, sorted; absent for a plan of everything.
   * A plan with targets is partial: changes outside them are neither shown nor made.
   */
  targets?: string[];
}

/** A complete plan (the JSON printed by `plan -o json`, see `schemas/plan.schema.json`). */
export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  /** The cluster the plan is for: its name in the manifests and its kind (never its settings). */
  cluster: { name: string; type: string };
  options: PlanSettings;
  /** sha256 of the desired state (and the manifests' planner settings) the plan was computed from. */
  desiredDigest: string;
  /** sha256 of the live state the plan was computed from. */
  fingerprint: string;
  summary: { create: number; update: number; delete: number; errors: number };
  actions: PlanAction[];
  errors: PlanError[];
  heldBack: HeldBack[];
  /** Live resources outside the manifests' scope, listed and never touched. */
  unmanaged: PlanResource[];
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------
// Clusters

/** Kinds of cluster kafkaform can target. */
export const CLUSTER_TYPES = ['confluent', 'digitalocean', 'kafka', 'snapshot'] as const;
/** A kind of cluster. */
export type ClusterType = (typeof CLUSTER_TYPES)[number];

/**
 * A cluster as declared in the manifests. Connection settings keep their `${VAR}` references
 * unresolved: they are resolved only when this cluster is used (see `resolveClusterSettings`),
 * so `validate` and offline plans need no credentials.
 */
export interface ClusterSpec {
  name: string;
  type: ClusterType;
  /** Every key the user wrote under the cluster except `type` and `kafkaVersion`, verbatim. */
  settings: Record<string, JsonValue>;
  /** The Kafka version the cluster runs, when declared: offline checks use that version's catalog. */
  kafkaVersion?: KafkaVersion;
  /** Directory of the declaring file; relative paths in settings resolve against it. */
  baseDir: string;
  source: SourceLocation;
  /**
   * Where each setting was written, by JSON pointer relative to `settings` (`/auth/password`),
   * so an unset `${VAR}` found only when the cluster is used still names its file and line.
   */
  settingSources?: Record<string, SourceLocation>;
}
