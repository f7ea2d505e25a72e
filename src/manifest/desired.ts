/**
 * Collected manifests → the desired state of one cluster: its overlay (overrides, then the RFC 6902
 * patch), then topic defaults, then the checks that depend on the combination
 * (min.insync.replicas against the replication factor).
 */
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { DesiredAcl, DesiredState, DesiredTopic, JsonValue, SourceLocation } from '../model.js';
import { bindingKey, compareBindings } from './acls.js';
import { sortedList, type Collected, type OverlayDecl, type PatchDecl } from './collect.js';
import type { Problems } from './problems.js';
import {
  configEntry,
  layerToJson,
  overlayLayer,
  type ConfigEntry,
  type TopicLayer,
} from './layers.js';
import {
  configValueVersionFindings,
  configVersionFindings,
  crossKeyFindings,
  minInsyncFindings,
  topicNameFindings,
  type Finding,
  type KeyFinding,
} from './rules.js';
import type { KafkaVersion } from '../kafka/catalog.js';
import { normalizeConfigValue } from '../kafka/configs.js';
import { checkSchema } from './schema.js';
import { closest } from '../kafka/suggest.js';
import { pointer } from './yaml.js';
import type { WrittenConfigValue } from './written.js';

const { applyPatch, JsonPatchError } = fastJsonPatch;

/** A topic on its way to the desired state: its name, where it was declared, its merged fields. */
interface TopicState {
  readonly name: string;
  readonly at: SourceLocation;
  readonly layer: TopicLayer;
}

/** The view overlay patches operate on, by topic name. */
interface PatchView {
  topicDefaults: { [key: string]: JsonValue };
  topics: { [name: string]: { [key: string]: JsonValue } };
}

function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Checks that every topic an overlay names is declared; reports typos with a suggestion. */
export function checkOverlayTopics(collected: Collected, problems: Problems): void {
  if (collected.overlays.size === 0) return;
  const names = new Set(collected.topics.map((t) => t.name));
  for (const overlay of collected.overlays.values()) {
    for (const [name, { at }] of overlay.topics) {
      if (names.has(name) || collected.invalidTopics.has(name)) continue;
      const guess = closest(name, names);
      problems.error(
        `overlay ${overlay.cluster} overrides topic "${name}", which no manifest declares${guess ? ` (did you mean "${guess}"?)` : ''}`,
        at,
      );
    }
  }
}

/**
 * Checks what an overlay names against what the shared manifests declare: a principal it maps
 * that no shared ACL entry or `scope.principals` names, and a field `forceTopicDefaults` names
 * that its `topicDefaults` does not set, are errors with a suggestion.
 */
export function checkOverlayNames(collected: Collected, problems: Problems): void {
  if (collected.overlays.size === 0) return;
  const principals = new Set([...collected.acls.map((a) => a.principal), ...collected.scopePrincipals]);
  for (const overlay of collected.overlays.values()) {
    for (const [from, { at }] of overlay.principals) {
      if (principals.has(from)) continue;
      const guess = closest(from, principals);
      problems.error(
        `overlay ${overlay.cluster} maps principal ${from}, which no shared acls entry or scope.principals names${guess ? ` (did you mean "${guess}"?)` : ''}`,
        at,
      );
    }
    const set = [
      ...(overlay.defaults.partitions ? ['partitions'] : []),
      ...(overlay.defaults.replicationFactor ? ['replicationFactor'] : []),
      ...overlay.defaults.config.keys(),
    ];
    for (const [field, at] of overlay.force.fields) {
      if (set.includes(field)) continue;
      const guess = closest(field, set);
      problems.error(
        `overlay ${overlay.cluster}: forceTopicDefaults names "${field}", which overlays.${overlay.cluster}.topicDefaults does not set${guess ? ` (did you mean "${guess}"?)` : ''}`,
        at,
      );
    }
  }
}

/** The part of an overlay's `topicDefaults` that wins over topics' own values (`forceTopicDefaults`). */
function forcedLayer(overlay: OverlayDecl | undefined): TopicLayer | undefined {
  if (!overlay || (!overlay.force.all && overlay.force.fields.size === 0)) return undefined;
  const { defaults, force } = overlay;
  const forced = (field: string): boolean => force.all || force.fields.has(field);
  const layer: TopicLayer = { config: new Map() };
  if (defaults.partitions && forced('partitions')) layer.partitions = defaults.partitions;
  if (defaults.replicationFactor && forced('replicationFactor')) layer.replicationFactor = defaults.replicationFactor;
  for (const [key, entry] of defaults.config) if (forced(key)) layer.config.set(key, entry);
  return layer;
}

/**
 * The ACL bindings and scope on an overlay's cluster: the shared principals renamed by
 * `principals`, the shared entries of every principal the overlay's `acls` name replaced by those
 * entries, and the scope fields the overlay sets replacing the shared ones. Ownership is decided
 * on this result, so a cluster's plan only ever claims what its own principals and scope name.
 */
function overlaidAcls(collected: Collected, overlay: OverlayDecl | undefined): Pick<DesiredState, 'acls' | 'scope'> {
  const rename = (principal: string): string => overlay?.principals.get(principal)?.to ?? principal;
  let acls: DesiredAcl[];
  if (!overlay || (overlay.principals.size === 0 && overlay.aclPrincipals.size === 0 && overlay.acls.length === 0)) {
    // The shared bindings as they are: collecting them sorted them and left no two alike.
    acls = [...collected.acls];
  } else {
    const byKey = new Map<string, DesiredAcl>();
    for (const binding of collected.acls) {
      const renamed = { ...binding, principal: rename(binding.principal) };
      if (overlay.aclPrincipals.has(renamed.principal)) continue;
      // Two shared principals that stand for one on this cluster may grant the same binding: one is kept.
      const key = bindingKey(renamed);
      if (!byKey.has(key)) byKey.set(key, renamed);
    }
    for (const binding of overlay.acls) byKey.set(bindingKey(binding), binding);
    acls = [...byKey.values()].sort(compareBindings);
  }
  const scope = overlay?.scope ?? {};
  const list = (own: ReadonlySet<string> | undefined, shared: readonly string[]): string[] => (own ? sortedList(own) : [...shared]);
  return {
    acls,
    scope: {
      topicPrefixes: list(scope.topics, collected.scopeTopics),
      groupPrefixes: list(scope.groups, collected.scopeGroups),
      transactionalIdPrefixes: list(scope.transactionalIds, collected.scopeTransactionalIds),
      cluster: scope.cluster ?? collected.scopeCluster,
      principals: scope.principals ? sortedList(scope.principals) : [...new Set(collected.scopePrincipals.map(rename))].sort(),
    },
  };
}

/**
 * Applies the overlay's patch to the by-name view. Values the patch leaves equal keep their
 * origin; changed or added ones take the location of the operation that last touched their path.
 */
function applyOverlayPatch(
  overlay: OverlayDecl,
  defaults: TopicLayer,
  declared: readonly TopicState[],
  vendorPrefixes: readonly string[],
  problems: Problems,
): { defaults: TopicLayer; topics: TopicState[] } | undefined {
  const topics = new Map(declared.map((t) => [t.name, t]));
  const before: PatchView = { topicDefaults: layerToJson(defaults), topics: {} };
  for (const [name, t] of topics) before.topics[name] = layerToJson(t.layer);
  let after = structuredClone(before);
  for (const [index, decl] of overlay.patch.entries()) {
    try {
      after = applyPatch(after, [decl.op as Operation], true, true, true).newDocument;
    } catch (e) {
      const reason = e instanceof JsonPatchError ? patchFailure(e.name) : e instanceof Error ? e.message : String(e);
      problems.error(`overlay ${overlay.cluster}: patch operation ${index} (${decl.op.op} ${decl.op.path}) failed: ${reason}`, decl.at);
      return undefined;
    }
  }
  const blame = (path: string): SourceLocation => {
    let found: PatchDecl | undefined;
    for (const d of overlay.patch) {
      const paths = [d.op.path, d.op.from].filter((p): p is string => p !== undefined);
      if (paths.some((p) => p === path || path.startsWith(`${p}/`) || p.startsWith(`${path}/`))) found = d;
    }
    return (found ?? overlay.patch[0])?.at ?? overlay.at;
  };
  const schemaProblems = checkSchema(after as unknown as JsonValue, (path) => blame(path), {
    def: '#/$defs/patchView',
    prefix: `overlay ${overlay.cluster}: after the patch, `,
    mentionPath: true,
  });
  if (schemaProblems.length > 0) {
    for (const p of schemaProblems) problems.push(p);
    return undefined;
  }
  const ctx = { vendorPrefixes, problems };
  const rebuild = (
    old: TopicLayer | undefined,
    was: { [key: string]: JsonValue } | undefined,
    now: { [key: string]: JsonValue },
    path: string,
  ): TopicLayer => {
    const layer: TopicLayer = { config: new Map() };
    for (const field of ['partitions', 'replicationFactor'] as const) {
      const v = now[field];
      if (typeof v !== 'number') continue;
      const kept = old?.[field];
      layer[field] = kept && deepEqual(was?.[field], v) ? kept : { value: v, at: blame(pointer(path, field)) };
    }
    const oldConfig = (was?.['config'] ?? {}) as { [key: string]: JsonValue };
    for (const [key, v] of Object.entries((now['config'] ?? {}) as { [key: string]: JsonValue })) {
      const kept = old?.config.get(key);
      if (kept && deepEqual(oldConfig[key], v)) {
        layer.config.set(key, kept);
      } else {
        const at = blame(pointer(pointer(path, 'config'), key));
        layer.config.set(key, configEntry(key, v as WrittenConfigValue, () => at, at, ctx));
      }
    }
    return layer;
  };
  const newTopics: TopicState[] = [];
  for (const name of Object.keys(after.topics)) {
    const old = topics.get(name);
    const path = pointer('/topics', name);
    // A topic the patch adds or renames is checked like a declared one.
    if (!old) for (const f of topicNameFindings(name)) problems.add({ ...f, message: `overlay ${overlay.cluster}: ${f.message}` }, blame(path));
    newTopics.push({ name, at: old?.at ?? blame(path), layer: rebuild(old?.layer, before.topics[name], after.topics[name] ?? {}, path) });
  }
  return { defaults: rebuild(defaults, before.topicDefaults, after.topicDefaults, '/topicDefaults'), topics: newTopics };
}

/**
 * Where a min.insync.replicas / replication factor conflict points: on a cluster with an overlay,
 * at whichever of the two the overlay wrote (that is what it added); otherwise at the value the
 * topic writes itself, else at min.insync.replicas.
 */
function minInsyncBlame(topic: TopicLayer, minIsrAt: SourceLocation, rfAt: SourceLocation, overlaid: boolean): SourceLocation {
  if (overlaid) {
    const fromOverlay = [minIsrAt, rfAt].find((at) => at.path.startsWith('/overlays/'));
    if (fromOverlay) return fromOverlay;
  }
  if (topic.config.get('min.insync.replicas')) return minIsrAt;
  if (topic.replicationFactor) return rfAt;
  return minIsrAt;
}

function patchFailure(name: string): string {
  switch (name) {
    case 'OPERATION_PATH_UNRESOLVABLE':
      return 'the path does not exist (use "add" to set a field a topic does not write itself)';
    case 'OPERATION_FROM_UNRESOLVABLE':
      return 'the "from" path does not exist';
    case 'TEST_OPERATION_FAILED':
      return 'the test did not match';
    case 'OPERATION_PATH_INVALID':
      return 'the path is not a JSON pointer';
    default:
      return name.toLowerCase().replace(/_/g, ' ');
  }
}

/** Which cluster a desired state is for, as far as the checks care. */
export interface DesiredFor {
  /** The cluster's name; undefined for the shared manifests. */
  cluster?: string;
  /** The cluster's declared Kafka version: its catalog decides, and what it refuses is an error. */
  kafkaVersion?: KafkaVersion;
  /** Without a version: warn about keys and values only some supported versions accept. */
  versionWarnings: boolean;
}

/**
 * Kafka's cross-key rules read nothing but the canonical config and the version, so topics with
 * the same ones share the answer.
 */
const crossKeyMemo = new Map<KafkaVersion | undefined, CrossKeyNode>();

/**
 * A node of `crossKeyMemo`: configs are looked up key by key and value by value in key order, so
 * finding a topic's answer allocates nothing. `findings` is the answer for the path that ends here.
 */
interface CrossKeyNode {
  next?: Map<string, Map<string, CrossKeyNode>>;
  findings?: KeyFinding[];
}

/** The node for one more key and canonical value below `node`, made on first use. */
function crossKeyChild(node: CrossKeyNode, key: string, value: string): CrossKeyNode {
  const next = (node.next ??= new Map());
  let byValue = next.get(key);
  if (!byValue) next.set(key, (byValue = new Map()));
  let child = byValue.get(value);
  if (!child) byValue.set(value, (child = {}));
  return child;
}

/**
 * The version checks of topics' final configs: keys and values the version refuses (errors with a
 * declared version, warnings otherwise) and Kafka's cross-key rules (the newest version's without
 * a declared one). One per desired state; a topic's entries are visited by `Map.forEach` with this
 * object as `this`, so checking tens of thousands of topics makes no closure per topic.
 */
class ConfigChecks {
  /** False for the shared state of manifests whose every cluster declares its version (checked per cluster). */
  readonly #enabled: boolean;
  readonly #version: KafkaVersion | undefined;
  readonly #root: CrossKeyNode;
  /** The topic being checked: its node in `crossKeyMemo` so far, and its config as the model writes it. */
  #node: CrossKeyNode;
  #config: Record<string, string> = {};

  constructor(
    target: DesiredFor,
    private readonly report: (f: Finding, at: SourceLocation) => void,
  ) {
    this.#version = target.kafkaVersion;
    this.#enabled = target.kafkaVersion !== undefined || target.versionWarnings;
    let root = crossKeyMemo.get(this.#version);
    if (!root) crossKeyMemo.set(this.#version, (root = {}));
    this.#root = this.#node = root;
  }

  /** Checks one topic's final config entries; returns its config as the model writes it. */
  run(topic: string, entries: ReadonlyMap<string, ConfigEntry>): Record<string, string> {
    this.#config = {};
    this.#node = this.#root;
    entries.forEach(this.#visit, this);
    if (!this.#enabled) return this.#config;
    const node = this.#node;
    if (!node.findings) {
      const canonical = new Map<string, string>();
      entries.forEach((entry, key) => {
        if (entry.canonical !== undefined) canonical.set(key, entry.canonical);
      });
      node.findings = crossKeyFindings(canonical, this.#version);
    }
    for (const { key, finding } of node.findings) {
      const at = entries.get(key)?.at;
      if (!at) continue;
      // A rule broken by topicDefaults reads the same for every topic; reported once, without a name.
      const message = at.path.startsWith('/topicDefaults') ? finding.message : `topic "${topic}": ${finding.message}`;
      this.report({ ...finding, message }, at);
    }
    return this.#config;
  }

  #visit(entry: ConfigEntry, key: string): void {
    if (entry.canonical !== undefined) this.#config[key] = entry.canonical;
    if (!this.#enabled) return;
    if (entry.canonical !== undefined) this.#node = crossKeyChild(this.#node, key, entry.canonical);
    const version = this.#version;
    const versionFindings = configVersionFindings(key, version);
    for (let i = 0; i < versionFindings.length; i++) this.report(versionFindings[i] as Finding, entry.keyAt());
    if (entry.refusedBy && entry.raw !== null) {
      const raw = entry.raw;
      const messageFor = (v: KafkaVersion): string | undefined => {
        const r = normalizeConfigValue(key, raw, [v]);
        return r.ok ? undefined : r.message;
      };
      for (const f of configValueVersionFindings(entry.refusedBy, key, version, messageFor)) this.report(f, entry.at);
    }
  }
}

/**
 * A topic's config entries over the defaults', removals applied, in key order. A topic without
 * defaults to merge keeps its own map when that is in order already.
 */
function mergedConfig(defaults: ReadonlyMap<string, ConfigEntry>, own: TopicLayer): ReadonlyMap<string, ConfigEntry> {
  if (defaults.size === 0 && own.ordered === true) return own.config;
  const entries = new Map<string, ConfigEntry>();
  for (const layer of [defaults, own.config]) {
    for (const [k, v] of layer) {
      if (v.raw === null) entries.delete(k);
      else entries.set(k, v);
    }
  }
  return new Map([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The desired state for `overlay`'s cluster (or the shared manifests when undefined), checked
 * against the Kafka version `target` names. Problems found here are added to `problems`; topics
 * with errors are still returned when they can be built.
 */
export function desiredState(
  collected: Collected,
  overlay: OverlayDecl | undefined,
  problems: Problems,
  target: DesiredFor = { versionWarnings: true },
): DesiredState {
  let defaults = overlayLayer(collected.defaults, overlay?.defaults);
  // Forced defaults win over a topic's own values; the overlay's per-topic overrides, more
  // specific, still win over them. Without an overlay the declared topics are used as they are.
  const forced = forcedLayer(overlay);
  let topics: readonly TopicState[] = overlay
    ? collected.topics.map((decl) => ({
        name: decl.name,
        at: decl.at,
        layer: overlayLayer(overlayLayer(decl.layer, forced), overlay.topics.get(decl.name)?.layer),
      }))
    : collected.topics;
  if (overlay && overlay.patch.length > 0) {
    const patched = applyOverlayPatch(overlay, defaults, topics, collected.vendorPrefixes, problems);
    if (patched) ({ defaults, topics } = patched);
  }
  // A cluster inherits the shared manifests' problems; report only what its overlay or its
  // Kafka version adds.
  const report = (f: Finding, at: SourceLocation): void => {
    if (target.cluster === undefined) problems.add(f, at);
    else if (!problems.has(f, at)) problems.add({ ...f, message: `on cluster ${target.cluster}, ${f.message}` }, at);
  };
  const checks = new ConfigChecks(target, report);
  const out: DesiredTopic[] = [];
  // Indexed: generated manifests hold tens of thousands of topics, and until the JIT has
  // optimised this code every `for...of` step allocates.
  for (let i = 0; i < topics.length; i++) {
    const t = topics[i] as TopicState;
    const name = t.name;
    const partitions = t.layer.partitions ?? defaults.partitions;
    const replicationFactor = t.layer.replicationFactor ?? defaults.replicationFactor;
    if (!partitions || !replicationFactor) {
      const missing = [!partitions ? 'partitions' : '', !replicationFactor ? 'replicationFactor' : ''].filter(Boolean);
      report({ severity: 'error', message: `topic "${name}" has no ${missing.join(' or ')}: set it on the topic or in topicDefaults` }, t.at);
      continue;
    }
    const entries = mergedConfig(defaults.config, t.layer);
    const config = checks.run(name, entries);
    const minIsr = entries.get('min.insync.replicas');
    if (minIsr !== undefined) {
      for (const f of minInsyncFindings(name, minIsr.canonical, replicationFactor.value)) {
        report(f, minInsyncBlame(t.layer, minIsr.at, replicationFactor.at, overlay !== undefined));
      }
    }
    out.push({ name, partitions: partitions.value, replicationFactor: replicationFactor.value, config, source: t.at });
  }
  const byName = (a: DesiredTopic, b: DesiredTopic): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  // Generated manifests usually list topics in order already; sorting would still copy them.
  if (!out.every((t, i) => i === 0 || byName(out[i - 1] as DesiredTopic, t) <= 0)) out.sort(byName);
  return { topics: out, ...overlaidAcls(collected, overlay) };
}
