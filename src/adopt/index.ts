/**
 * Adoption: the live state of a cluster → manifests that declare exactly it, written as a person
 * would write them (`kafkaform init`, `kafkaform export -o manifest`). Pure: the command
 * reads the cluster and writes the files.
 *
 * The manifests plan as no change against the cluster they came from: every exported topic and
 * ACL binding is declared with its live value, and `scope` owns nothing that is not declared.
 * Sensitive topic configs are the exception: their values are never written (`omitted`).
 */
import type { AclBinding, LiveState, LiveTopic } from '../model.js';
import { canonicalConfigValue } from '../kafka/configs.js';
import { isInternalTopic } from '../plan/index.js';
import { compareStrings } from '../plan/order.js';
import { safe } from '../render/index.js';
import type { WrittenAcl, WrittenConfigKeys, WrittenManifest, WrittenScope, WrittenTopic, WrittenTopicDefaults } from '../manifest/written.js';
import { factorDefaults, type TopicFacts } from './defaults.js';
import { aclEntries } from './roles.js';
import { fileStem, namePrefix, prefixesOf } from './scope.js';
import { writtenConfigValue } from './values.js';
import { manifestYaml } from './yaml.js';

export { manifestYaml } from './yaml.js';

/** What to adopt and how. */
export interface AdoptOptions {
  /** Config key prefixes left out: the platform's managed ones and the manifests' ignored ones. */
  ignoredConfigPrefixes: readonly string[];
  /**
   * Adopt only topics, consumer groups and transactional ids starting with one of these, and the
   * ACL bindings on them; the whole cluster when absent or empty.
   */
  prefixes?: readonly string[];
}

/** A topic config left out because its value is sensitive. */
export interface OmittedConfig {
  topic: string;
  key: string;
}

/** The phrase naming an omitted config in messages and comments: `topic x config y`. */
export function describeOmitted(o: OmittedConfig): string {
  return `topic ${safe(o.topic)} config ${safe(o.key)}`;
}

/** The adopted state, as manifest sections. */
export interface Adopted {
  scope: WrittenScope;
  topicDefaults?: WrittenTopicDefaults;
  topics: WrittenTopic[];
  acls: WrittenAcl[];
  /** How many live ACL bindings `acls` declares. */
  bindings: number;
  /** Sensitive topic configs set on a topic, whose values were left out. */
  omitted: OmittedConfig[];
}

function startsWithAny(name: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => name.startsWith(p));
}

/**
 * Whether a binding is on a resource inside `prefixes`: a topic, group or transactional id whose
 * LITERAL name, or PREFIXED pattern, starts with one (the wildcard `*` is inside none). These are
 * exactly the bindings a scope of those prefixes owns (see `src/plan/ownership.ts`), so adopting
 * them leaves nothing owned undeclared.
 */
function insidePrefixes(b: AclBinding, prefixes: readonly string[]): boolean {
  if (b.resourceType !== 'TOPIC' && b.resourceType !== 'GROUP' && b.resourceType !== 'TRANSACTIONAL_ID') return false;
  if (b.patternType === 'LITERAL' && b.resourceName === '*') return false;
  return startsWithAny(b.resourceName, prefixes);
}

function facts(t: LiveTopic, ignored: readonly string[], omitted: OmittedConfig[]): TopicFacts {
  const own: Record<string, string> = {};
  const inherited: Record<string, string> = {};
  for (const key of Object.keys(t.configs).sort(compareStrings)) {
    const c = t.configs[key]!;
    if (startsWithAny(key, ignored)) continue;
    if (c.setOnTopic && (c.sensitive || c.value === null)) omitted.push({ topic: t.name, key });
    if (c.sensitive || c.value === null) continue;
    (c.setOnTopic ? own : inherited)[key] = canonicalConfigValue(key, c.value);
  }
  return { name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor, own, inherited };
}

function writtenConfig(config: Record<string, string>): WrittenTopic['config'] {
  const out: NonNullable<WrittenTopic['config']> = {};
  for (const key of Object.keys(config).sort(compareStrings)) out[key] = writtenConfigValue(key, config[key] as string);
  return out;
}

/** The manifest sections declaring `live` (or the part of it `options.prefixes` selects). */
export function adopt(live: LiveState, options: AdoptOptions): Adopted {
  const prefixes = options.prefixes ?? [];
  const omitted: OmittedConfig[] = [];
  const topics = live.topics
    .filter((t) => !isInternalTopic(t.name, t) && (prefixes.length === 0 || startsWithAny(t.name, prefixes)))
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((t) => facts(t, options.ignoredConfigPrefixes, omitted));
  const bindings = prefixes.length === 0 ? live.acls : live.acls.filter((b) => insidePrefixes(b, prefixes));
  const factored = factorDefaults(topics);
  const defaults: WrittenTopicDefaults = {
    ...(factored.defaults.partitions !== undefined ? { partitions: factored.defaults.partitions } : {}),
    ...(factored.defaults.replicationFactor !== undefined ? { replicationFactor: factored.defaults.replicationFactor } : {}),
    ...(Object.keys(factored.defaults.config).length > 0 ? { config: writtenConfig(factored.defaults.config) } : {}),
  };
  const principals = [...new Set(bindings.map((b) => b.principal))].sort(compareStrings);
  // Without a selection everything is adopted, so the principals are owned whole; with one, only
  // their bindings inside the prefixes were adopted, and the scope owns exactly those.
  const scope: WrittenScope =
    prefixes.length === 0
      ? { ...(topics.length > 0 ? { topics: prefixesOf(topics.map((t) => t.name)) } : {}), ...(principals.length > 0 ? { principals } : {}) }
      : { topics: [...prefixes], groups: [...prefixes], transactionalIds: [...prefixes] };
  return {
    scope,
    ...(Object.keys(defaults).length > 0 ? { topicDefaults: defaults } : {}),
    topics: factored.topics.map((t) => ({
      name: t.name,
      ...(t.partitions !== undefined ? { partitions: t.partitions } : {}),
      ...(t.replicationFactor !== undefined ? { replicationFactor: t.replicationFactor } : {}),
      ...(Object.keys(t.config).length > 0 ? { config: writtenConfig(t.config) } : {}),
    })),
    acls: aclEntries(bindings),
    bindings: bindings.length,
    omitted,
  };
}

/** One file of adopted manifests: its path relative to the folder and its text. */
export interface AdoptedFile {
  path: string;
  text: string;
}

/** How the adopted manifests are laid out in files. */
export interface LayoutOptions {
  /** Comment lines at the top of every file (where it came from). */
  header: readonly string[];
  /** The `clusters` section (`clusters.yaml`), when the folder declares its cluster. */
  clusters?: WrittenManifest['clusters'];
  /** The `configKeys` section the source manifests had, if any. */
  configKeys?: WrittenConfigKeys;
  /** One file per topic name prefix and per principal (`topics/orders.yaml`, `acls/billing.yaml`). */
  splitByPrefix: boolean;
}

function nonEmpty<T extends object>(value: T | undefined): value is T {
  return value !== undefined && Object.keys(value).length > 0;
}

function omittedLines(omitted: readonly OmittedConfig[]): string[] {
  return omitted.length > 0 ? ['Sensitive values are never exported; add them back with ${VAR} references:', ...omitted.map((o) => `  ${describeOmitted(o)}`)] : [];
}

/** The adopted state in one manifest document (`export -o manifest`). */
export function singleManifest(adopted: Adopted, header: readonly string[]): string {
  const manifest: WrittenManifest = {
    apiVersion: 'kafkaform/v1',
    ...(nonEmpty(adopted.scope) ? { scope: adopted.scope } : {}),
    ...(adopted.topicDefaults ? { topicDefaults: adopted.topicDefaults } : {}),
    ...(adopted.topics.length > 0 ? { topics: adopted.topics } : {}),
    ...(adopted.acls.length > 0 ? { acls: adopted.acls } : {}),
  };
  return manifestYaml(manifest, [...header, ...omittedLines(adopted.omitted)]);
}

/** The principal's name without its type (`User:billing` → `billing`), as a file stem. */
function principalStem(principal: string): string {
  const colon = principal.indexOf(':');
  return fileStem(colon >= 0 ? principal.slice(colon + 1) : principal);
}

/** Items grouped by a file path, paths sorted. */
function byFile<T>(items: readonly T[], path: (item: T) => string): [string, T[]][] {
  const files = new Map<string, T[]>();
  for (const item of items) {
    const p = path(item);
    const list = files.get(p);
    if (list) list.push(item);
    else files.set(p, [item]);
  }
  return [...files.entries()].sort(([a], [b]) => compareStrings(a, b));
}

/**
 * The adopted state as a folder of files: `clusters.yaml` (when given clusters), `kafkaform.yaml`
 * (scope, topic defaults, config keys), and the topics and ACLs in `topics.yaml` and `acls.yaml`,
 * or split by prefix into `topics/<prefix>.yaml` and `acls/<principal>.yaml`. Sorted by path.
 */
export function adoptedFiles(adopted: Adopted, options: LayoutOptions): AdoptedFile[] {
  const files: AdoptedFile[] = [];
  const add = (path: string, manifest: Omit<WrittenManifest, 'apiVersion'>, extra: readonly string[] = []): void => {
    files.push({ path, text: manifestYaml({ apiVersion: 'kafkaform/v1', ...manifest }, [...options.header, ...extra]) });
  };
  if (nonEmpty(options.clusters)) add('clusters.yaml', { clusters: options.clusters });
  const shared = {
    ...(nonEmpty(adopted.scope) ? { scope: adopted.scope } : {}),
    ...(adopted.topicDefaults ? { topicDefaults: adopted.topicDefaults } : {}),
    ...(nonEmpty(options.configKeys) ? { configKeys: options.configKeys } : {}),
  };
  if (nonEmpty(shared)) add('kafkaform.yaml', shared);
  const notes = omittedLines(adopted.omitted);
  if (!options.splitByPrefix) {
    if (adopted.topics.length > 0) add('topics.yaml', { topics: adopted.topics }, notes);
    if (adopted.acls.length > 0) add('acls.yaml', { acls: adopted.acls });
  } else {
    for (const [path, topics] of byFile(adopted.topics, (t) => `topics/${fileStem(namePrefix(t.name))}.yaml`)) {
      const names = new Set(topics.map((t) => t.name));
      add(path, { topics }, omittedLines(adopted.omitted.filter((o) => names.has(o.topic))));
    }
    for (const [path, acls] of byFile(adopted.acls, (a) => `acls/${principalStem(a.principal)}.yaml`)) add(path, { acls });
  }
  return files.sort((a, b) => compareStrings(a.path, b.path));
}
