/**
 * Merges the documents of every file into one collection: clusters, topic defaults, topics, ACL
 * bindings, scope, overlays. Anything declared twice is an error naming both places.
 */
import { resolve, dirname } from 'node:path';
import type { ClusterSpec, ClusterType, DesiredAcl, JsonValue, SourceLocation } from '../model.js';
import { isKafkaVersion } from '../kafka/catalog.js';
import { compareBindings, describeBinding, expandAcl, isRole } from './acls.js';
import { configContext, layerFromDocument, type ConfigContext, type Located, type TopicLayer } from './layers.js';
import type { Problems } from './problems.js';
import {
  aclBindingFindings,
  clusterNameFindings,
  principalFindings,
  scopePrefixFindings,
  idPrefixFindings,
  roleFindings,
  topicCollisions,
  collisionFinding,
  topicNameFindings,
  type Finding,
} from './rules.js';
import type { WrittenAcl, WrittenManifest, WrittenOverlay, WrittenPatchOperation, WrittenScope, WrittenTopic, WrittenTopicOverride } from './written.js';
import { pointer, type ParsedDocument } from './yaml.js';

/**
 * A document with its typed content. Parts that failed the schema were reported already and are
 * skipped here (`valid` says which), so the rest of the document is still checked.
 */
export interface CheckedDocument {
  doc: ParsedDocument;
  manifest: WrittenManifest;
  /** False for a section (`/scope`) or item (`/topics/3`, `/clusters/prod`) with schema errors. */
  valid(path: string): boolean;
}

/** A topic as declared, with its own fields as a layer. */
export interface TopicDecl {
  readonly name: string;
  /** The entry in `topics`. */
  readonly at: SourceLocation;
  /** Its `name`, where duplicates and collisions point. */
  readonly nameAt: SourceLocation;
  readonly layer: TopicLayer;
}

/** A topic entry at `path` of a document; its name is placed only when a message needs it. */
class DeclaredTopic implements TopicDecl {
  constructor(
    readonly name: string,
    readonly at: SourceLocation,
    readonly layer: TopicLayer,
    private readonly locate: ParsedDocument['locate'],
    private readonly path: string,
  ) {}

  get nameAt(): SourceLocation {
    return this.locate(pointer(this.path, 'name'));
  }
}

/**
 * The declared topics, each name once, in the order declared. Generated manifests usually list
 * their topics in name order, and a list whose every name sorts after the one before cannot
 * hold a name twice: topics are looked up by name (in a map, made then) only once the order breaks.
 */
class DeclaredTopics {
  readonly list: TopicDecl[] = [];
  #byName: Map<string, TopicDecl> | undefined;

  /** The topic declared with this name, if any. */
  get(name: string): TopicDecl | undefined {
    if (this.#byName !== undefined) return this.#byName.get(name);
    const last = this.list[this.list.length - 1];
    if (last === undefined || last.name < name) return undefined;
    this.#byName = new Map(this.list.map((t) => [t.name, t]));
    return this.#byName.get(name);
  }

  /** Adds a topic `get` found no other of. */
  add(topic: TopicDecl): void {
    this.list.push(topic);
    this.#byName?.set(topic.name, topic);
  }
}

/** One operation of an overlay patch, with where it was written. */
export interface PatchDecl {
  op: WrittenPatchOperation;
  at: SourceLocation;
}

/** Scope fields as collected; an overlay's holds only the fields it sets. */
export interface ScopeParts {
  topics?: Set<string>;
  groups?: Set<string>;
  transactionalIds?: Set<string>;
  cluster?: boolean;
  principals?: Set<string>;
}

/** Everything one cluster's overlay changes. */
export interface OverlayDecl {
  cluster: string;
  at: SourceLocation;
  defaults: TopicLayer;
  /**
   * The fields of `defaults` that win over topics' own values (`forceTopicDefaults`), each with
   * where it was named; `all` when it was `true`.
   */
  force: { all: boolean; fields: Map<string, SourceLocation> };
  topics: Map<string, { layer: TopicLayer; at: SourceLocation }>;
  patch: PatchDecl[];
  /** Shared principal → this cluster's principal (`principals`). */
  principals: Map<string, { to: string; at: SourceLocation }>;
  /** This overlay's own bindings (`acls`), sorted, each once. */
  acls: DesiredAcl[];
  /** Principals this overlay's `acls` entries name: their shared entries are replaced. */
  aclPrincipals: Set<string>;
  /** Scope fields this overlay replaces. */
  scope: ScopeParts;
}

/** The merged manifests, before overlays and defaults are applied. */
export interface Collected {
  clusters: ClusterSpec[];
  defaults: TopicLayer;
  topics: TopicDecl[];
  acls: DesiredAcl[];
  scopeTopics: string[];
  scopeGroups: string[];
  scopeTransactionalIds: string[];
  /** True when any document sets `scope.cluster: true`. */
  scopeCluster: boolean;
  scopePrincipals: string[];
  overlays: Map<string, OverlayDecl>;
  vendorPrefixes: string[];
  ignoredPrefixes: string[] | undefined;
  /** Names of topics skipped for schema errors (so overlays naming them are not blamed too). */
  invalidTopics: Set<string>;
}

/** A collected set as a sorted list (empty when no file set it). */
export function sortedList(set: ReadonlySet<string> | undefined): string[] {
  return [...(set ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The other place a message names: `line L:C` in the same file, else `file:L:C`. */
export function elsewhere(other: SourceLocation, here: SourceLocation): string {
  return other.file === here.file ? `line ${other.line}:${other.column}` : `${other.file}:${other.line}:${other.column}`;
}

/** Every pointer under a JSON value (including itself), for per-setting locations. */
function pointers(value: JsonValue, path: string, out: string[]): string[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => pointers(v, pointer(path, i), out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pointers(v, pointer(path, k), out);
  }
  return out;
}

/**
 * A layer field two documents set to different values is an error naming both; the first one
 * stays. The same value twice is harmless (two teams' folders may share the same defaults).
 */
function mergeField<T>(
  existing: Located<T> | undefined,
  incoming: Located<T> | undefined,
  label: string,
  problems: Problems,
): Located<T> | undefined {
  if (existing && incoming && existing.value !== incoming.value) {
    problems.error(
      `${label} is set to ${String(incoming.value)} here and to ${String(existing.value)} at ${elsewhere(existing.at, incoming.at)}`,
      incoming.at,
    );
  }
  return existing ?? incoming;
}

/** Merges `incoming` into `into`, reporting fields both set differently. */
function mergeLayer(into: TopicLayer, incoming: TopicLayer, label: string, problems: Problems): void {
  into.partitions = mergeField(into.partitions, incoming.partitions, `${label}.partitions`, problems);
  into.replicationFactor = mergeField(into.replicationFactor, incoming.replicationFactor, `${label}.replicationFactor`, problems);
  for (const [k, v] of incoming.config) {
    const existing = into.config.get(k);
    if (!existing) into.config.set(k, v);
    else if (existing.raw === null || v.raw === null || existing.canonical !== v.canonical) {
      // Compared normalised, so `7d` and `604800000` agree.
      const show = (e: typeof v): string => (e.raw === null ? 'null' : JSON.stringify(e.raw));
      problems.error(`${label}.config.${k} is set to ${show(v)} here and to ${show(existing)} at ${elsewhere(existing.at, v.at)}`, v.at);
    }
  }
}

/** Reads `acls` entries at `path` into `into`, in the order written (see `uniqueBindings`). */
function collectAcls(
  checked: CheckedDocument,
  path: string,
  entries: readonly WrittenAcl[],
  into: DesiredAcl[],
  problems: Problems,
  named?: Set<string>,
): void {
  const { doc, valid } = checked;
  const locate = (p: string): SourceLocation => doc.locate(p);
  // Indexed loops: generated manifests have tens of thousands of entries, and until the JIT has
  // optimised this code, every `for...of` step allocates.
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as WrittenAcl;
    const item = pointer(path, i);
    if (!valid(item)) continue;
    named?.add(entry.principal);
    const principal = principalFindings(entry.principal);
    for (let k = 0; k < principal.length; k++) problems.add(principal[k] as Finding, doc.locate(pointer(item, 'principal')));
    if (isRole(entry)) {
      for (const { finding, path: at } of roleFindings(entry)) problems.add(finding, doc.locate(`${item}${at ?? ''}`));
    }
    expandAcl(entry, item, locate, into);
  }
}

/**
 * Bindings collected in the order written → each binding once, sorted; a binding declared twice
 * is an error naming both places. A stable sort puts equal bindings side by side with the first
 * declared first, so finding duplicates needs no key or map per binding.
 */
function uniqueBindings(bindings: DesiredAcl[], problems: Problems): DesiredAcl[] {
  // Grouped by principal first (a manifest names each principal in many bindings), then each
  // group sorted: the same order as one sort by every field, with a fraction of the comparisons.
  const byPrincipal = new Map<string, DesiredAcl[]>();
  for (let i = 0; i < bindings.length; i++) {
    const binding = bindings[i] as DesiredAcl;
    const group = byPrincipal.get(binding.principal);
    if (group) {
      // The group's first spelling: comparing the same string is the fastest comparison there is.
      binding.principal = (group[0] as DesiredAcl).principal;
      group.push(binding);
    } else byPrincipal.set(binding.principal, [binding]);
  }
  const out: DesiredAcl[] = [];
  for (const principal of sortedList(new Set(byPrincipal.keys()))) {
    const group = byPrincipal.get(principal) as DesiredAcl[];
    // A group written in order, each binding after the one before, holds no binding twice: its
    // one pass of comparisons is all it needs (generated manifests are often written so).
    const ascending = isAscending(group);
    if (!ascending) group.sort(compareBindings);
    let first: DesiredAcl | undefined;
    for (let i = 0; i < group.length; i++) {
      const binding = group[i] as DesiredAcl;
      if (!ascending && first !== undefined && compareBindings(first, binding) === 0) {
        problems.error(`ACL binding ${describeBinding(binding)} is declared twice: here and at ${elsewhere(first.source, binding.source)}`, binding.source);
        continue;
      }
      first = binding;
      const findings = aclBindingFindings(binding);
      for (let k = 0; k < findings.length; k++) problems.add(findings[k] as Finding, binding.source);
      out.push(binding);
    }
  }
  return out;
}

/** True when every binding sorts strictly after the one before it. */
function isAscending(bindings: readonly DesiredAcl[]): boolean {
  for (let i = 1; i < bindings.length; i++) if (compareBindings(bindings[i - 1] as DesiredAcl, bindings[i] as DesiredAcl) >= 0) return false;
  return true;
}

/**
 * Reads a `scope` at `path` into `into`. Lists add up across files, and `cluster: true` anywhere
 * wins, as several teams' files each claim their part (`false` claims nothing, it revokes
 * nothing); a field no file sets stays absent.
 */
function collectScope(doc: ParsedDocument, path: string, scope: WrittenScope, into: ScopeParts, problems: Problems): void {
  const list = (field: 'topics' | 'groups' | 'transactionalIds' | 'principals', check: (value: string) => readonly Finding[]): void => {
    const values = scope[field];
    if (values === undefined) return;
    const set = (into[field] ??= new Set());
    values.forEach((value, i) => {
      for (const f of check(value)) problems.add(f, doc.locate(pointer(pointer(path, field), i)));
      set.add(value);
    });
  };
  list('topics', scopePrefixFindings);
  list('groups', (p) => idPrefixFindings('groups', p));
  list('transactionalIds', (p) => idPrefixFindings('transactionalIds', p));
  list('principals', principalFindings);
  if (scope.cluster !== undefined) into.cluster = into.cluster === true || scope.cluster;
}

/** Reads one document's `overlays.<cluster>` into `overlay`. */
function collectOverlay(checked: CheckedDocument, path: string, written: WrittenOverlay, overlay: OverlayDecl, ctx: ConfigContext): void {
  const { doc, valid } = checked;
  const { problems } = ctx;
  const cluster = overlay.cluster;
  if (written.topicDefaults && valid(pointer(path, 'topicDefaults'))) {
    const layer = layerFromDocument(doc, pointer(path, 'topicDefaults'), written.topicDefaults as WrittenTopicOverride, ctx);
    mergeLayer(overlay.defaults, layer, `overlays.${cluster}.topicDefaults`, problems);
  }
  const force = written.forceTopicDefaults;
  if (force !== undefined && valid(pointer(path, 'forceTopicDefaults'))) {
    if (force === true) overlay.force.all = true;
    else if (Array.isArray(force)) {
      force.forEach((field, i) => {
        if (!overlay.force.fields.has(field)) overlay.force.fields.set(field, doc.locate(pointer(pointer(path, 'forceTopicDefaults'), i)));
      });
    }
  }
  for (const [name, override] of Object.entries(written.topics ?? {})) {
    const p = pointer(pointer(path, 'topics'), name);
    if (!valid(p)) continue;
    const at = doc.locate(p, 'key');
    const previous = overlay.topics.get(name);
    if (previous) {
      problems.error(`overlay ${cluster} overrides topic "${name}" twice: here and at ${elsewhere(previous.at, at)}`, at);
      continue;
    }
    overlay.topics.set(name, { at, layer: layerFromDocument(doc, p, override as WrittenTopicOverride, ctx) });
  }
  if (valid(pointer(path, 'patch'))) {
    (written.patch ?? []).forEach((op, i) => overlay.patch.push({ op, at: doc.locate(pointer(pointer(path, 'patch'), i)) }));
  }
  if (valid(pointer(path, 'principals'))) {
    for (const [from, to] of Object.entries(written.principals ?? {})) {
      const p = pointer(pointer(path, 'principals'), from);
      const at = doc.locate(p, 'key');
      for (const f of principalFindings(from)) problems.add(f, at);
      for (const f of principalFindings(to)) problems.add(f, doc.locate(p));
      const previous = overlay.principals.get(from);
      if (previous && previous.to !== to) {
        problems.error(`overlay ${cluster} maps principal ${from} to ${to} here and to ${previous.to} at ${elsewhere(previous.at, at)}`, at);
        continue;
      }
      overlay.principals.set(from, previous ?? { to, at });
    }
  }
  if (valid(pointer(path, 'acls'))) collectAcls(checked, pointer(path, 'acls'), written.acls ?? [], overlay.acls, problems, overlay.aclPrincipals);
  if (written.scope && valid(pointer(path, 'scope'))) collectScope(doc, pointer(path, 'scope'), written.scope, overlay.scope, problems);
}

/**
 * The clusters the documents declare, sorted by name; a cluster declared twice is an error naming
 * both places. Needs nothing else of the manifests, so a command may open the cluster while the
 * rest is checked.
 */
export function collectClusters(docs: readonly CheckedDocument[], problems: Problems): ClusterSpec[] {
  const clusters = new Map<string, ClusterSpec>();
  for (const { doc, manifest, valid } of docs) {
    for (const [name, written] of Object.entries((valid('/clusters') && manifest.clusters) || {})) {
      const path = pointer('/clusters', name);
      const at = doc.locate(path, 'key');
      for (const f of clusterNameFindings(name)) problems.add(f, at);
      if (!valid(path)) continue;
      const previous = clusters.get(name);
      if (previous) {
        problems.error(`cluster "${name}" is declared twice: here and at ${elsewhere(previous.source, at)}`, at);
        continue;
      }
      const { type, kafkaVersion, ...settings } = written;
      const settingSources: Record<string, SourceLocation> = {};
      for (const p of pointers(settings, '', [])) if (p !== '') settingSources[p] = doc.locate(`${path}${p}`);
      clusters.set(name, {
        name,
        type: type as ClusterType,
        ...(typeof kafkaVersion === 'string' && isKafkaVersion(kafkaVersion) ? { kafkaVersion } : {}),
        settings,
        baseDir: dirname(resolve(doc.file)),
        source: at,
        settingSources,
      });
    }
  }
  return [...clusters.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Merges checked documents in order (files sorted, documents in file order), with the clusters
 * `collectClusters` found in them.
 */
export function collect(docs: readonly CheckedDocument[], clusters: ClusterSpec[], problems: Problems): Collected {
  const keyDocs = docs.filter((d) => d.valid('/configKeys')).map((d) => d.manifest.configKeys ?? {});
  const vendorPrefixes = [...new Set(keyDocs.flatMap((k) => k.vendorPrefixes ?? []))].sort();
  const ignoredPrefixes = keyDocs.some((k) => k.ignoredPrefixes !== undefined)
    ? [...new Set(keyDocs.flatMap((k) => k.ignoredPrefixes ?? []))].sort()
    : undefined;
  const ctx = configContext(vendorPrefixes, problems);

  const defaults: TopicLayer = { config: new Map() };
  const topics = new DeclaredTopics();
  const acls: DesiredAcl[] = [];
  const scope: ScopeParts = {};
  const overlays = new Map<string, OverlayDecl>();
  const invalidTopics = new Set<string>();

  for (const checked of docs) {
    const { doc, manifest, valid } = checked;
    if (manifest.topicDefaults && valid('/topicDefaults')) {
      mergeLayer(defaults, layerFromDocument(doc, '/topicDefaults', manifest.topicDefaults, ctx), 'topicDefaults', problems);
    }

    const written = (valid('/topics') && manifest.topics) || [];
    for (let i = 0; i < written.length; i++) {
      const t = written[i] as WrittenTopic;
      const path = pointer('/topics', i);
      if (!valid(path)) {
        if (typeof t?.name === 'string') invalidTopics.add(t.name);
        continue;
      }
      const findings = topicNameFindings(t.name);
      const previous = topics.get(t.name);
      if (findings.length > 0 || previous) {
        const nameAt = doc.locate(pointer(path, 'name'));
        for (let k = 0; k < findings.length; k++) problems.add(findings[k] as Finding, nameAt);
        if (previous) {
          problems.error(`topic "${t.name}" is declared twice: here and at ${elsewhere(previous.nameAt, nameAt)}`, nameAt);
          continue;
        }
      }
      topics.add(new DeclaredTopic(t.name, doc.locate(path), layerFromDocument(doc, path, t, ctx), doc.locate, path));
    }

    if (valid('/acls')) collectAcls(checked, '/acls', manifest.acls ?? [], acls, problems);
    if (manifest.scope && valid('/scope')) collectScope(doc, '/scope', manifest.scope, scope, problems);

    for (const [cluster, written] of Object.entries((valid('/overlays') && manifest.overlays) || {})) {
      const path = pointer('/overlays', cluster);
      if (!valid(path)) continue;
      let overlay = overlays.get(cluster);
      if (!overlay) {
        overlay = {
          cluster,
          at: doc.locate(path, 'key'),
          defaults: { config: new Map() },
          force: { all: false, fields: new Map() },
          topics: new Map(),
          patch: [],
          principals: new Map(),
          acls: [],
          aclPrincipals: new Set(),
          scope: {},
        };
        overlays.set(cluster, overlay);
      }
      collectOverlay(checked, path, written, overlay, ctx);
    }
  }

  const declared = topics.list;
  for (const c of topicCollisions(declared.map((t) => t.name))) {
    const other = topics.get(c.with);
    const self = topics.get(c.name);
    if (other && self) problems.add(collisionFinding(c.name, c.with, elsewhere(other.nameAt, self.nameAt)), self.nameAt);
  }
  for (const overlay of overlays.values()) overlay.acls = uniqueBindings(overlay.acls, problems);

  return {
    clusters,
    defaults,
    topics: declared,
    acls: uniqueBindings(acls, problems),
    scopeTopics: sortedList(scope.topics),
    scopeGroups: sortedList(scope.groups),
    scopeTransactionalIds: sortedList(scope.transactionalIds),
    scopeCluster: scope.cluster === true,
    scopePrincipals: sortedList(scope.principals),
    overlays,
    vendorPrefixes,
    ignoredPrefixes,
    invalidTopics,
  };
}
