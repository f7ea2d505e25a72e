/**
 * Merges the documents of every file into one collection: clusters, topic defaults, topics, ACL
 * bindings, scope, overlays. Anything declared twice is an error naming both places.
 */
import { resolve, dirname } from 'node:path';
import type { ClusterSpec, ClusterType, DesiredAcl, JsonValue, SourceLocation } from '../model.js';
import { isKafkaVersion } from '../kafka/catalog.js';
import { bindingKey, describeBinding, expandAcl, isRole } from './acls.js';
import { layerFromDocument, type ConfigContext, type Located, type TopicLayer } from './layers.js';
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
} from './rules.js';
import type { WrittenManifest, WrittenPatchOperation, WrittenTopicOverride } from './written.js';
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
  name: string;
  /** The entry in `topics`. */
  at: SourceLocation;
  /** Its `name`, where duplicates and collisions point. */
  nameAt: SourceLocation;
  layer: TopicLayer;
}

/** One operation of an overlay patch, with where it was written. */
export interface PatchDecl {
  op: WrittenPatchOperation;
  at: SourceLocation;
}

/** Everything one cluster's overlay changes. */
export interface OverlayDecl {
  cluster: string;
  at: SourceLocation;
  defaults: TopicLayer;
  topics: Map<string, { layer: TopicLayer; at: SourceLocation }>;
  patch: PatchDecl[];
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
  const ctx: ConfigContext = { vendorPrefixes, problems };

  const defaults: TopicLayer = { config: new Map() };
  const topics = new Map<string, TopicDecl>();
  const acls = new Map<string, DesiredAcl>();
  const scopeTopics = new Set<string>();
  const scopeGroups = new Set<string>();
  const scopeTransactionalIds = new Set<string>();
  let scopeCluster = false;
  const scopePrincipals = new Set<string>();
  const overlays = new Map<string, OverlayDecl>();
  const invalidTopics = new Set<string>();

  for (const { doc, manifest, valid } of docs) {
    if (manifest.topicDefaults && valid('/topicDefaults')) {
      mergeLayer(defaults, layerFromDocument(doc, '/topicDefaults', manifest.topicDefaults, ctx), 'topicDefaults', problems);
    }

    ((valid('/topics') && manifest.topics) || []).forEach((t, i) => {
      const path = pointer('/topics', i);
      if (!valid(path)) {
        if (typeof t?.name === 'string') invalidTopics.add(t.name);
        return;
      }
      const at = doc.locate(path);
      const nameAt = doc.locate(pointer(path, 'name'));
      for (const f of topicNameFindings(t.name)) problems.add(f, nameAt);
      const previous = topics.get(t.name);
      if (previous) {
        problems.error(`topic "${t.name}" is declared twice: here and at ${elsewhere(previous.nameAt, nameAt)}`, nameAt);
        return;
      }
      topics.set(t.name, { name: t.name, at, nameAt, layer: layerFromDocument(doc, path, t, ctx) });
    });

    ((valid('/acls') && manifest.acls) || []).forEach((entry, i) => {
      const path = pointer('/acls', i);
      if (!valid(path)) return;
      for (const f of principalFindings(entry.principal)) problems.add(f, doc.locate(pointer(path, 'principal')));
      if (isRole(entry)) {
        for (const { finding, path: at } of roleFindings(entry)) problems.add(finding, doc.locate(`${path}${at ?? ''}`));
      }
      for (const binding of expandAcl(entry, path, (p) => doc.locate(p))) {
        const key = bindingKey(binding);
        const previous = acls.get(key);
        if (previous) {
          problems.error(
            `ACL binding ${describeBinding(binding)} is declared twice: here and at ${elsewhere(previous.source, binding.source)}`,
            binding.source,
          );
          continue;
        }
        for (const f of aclBindingFindings(binding)) problems.add(f, binding.source);
        acls.set(key, binding);
      }
    });

    const scope = (valid('/scope') && manifest.scope) || {};
    (scope.topics ?? []).forEach((prefix, i) => {
      for (const f of scopePrefixFindings(prefix)) problems.add(f, doc.locate(pointer('/scope/topics', i)));
      scopeTopics.add(prefix);
    });
    (scope.groups ?? []).forEach((prefix, i) => {
      for (const f of idPrefixFindings('groups', prefix)) problems.add(f, doc.locate(pointer('/scope/groups', i)));
      scopeGroups.add(prefix);
    });
    (scope.transactionalIds ?? []).forEach((prefix, i) => {
      for (const f of idPrefixFindings('transactionalIds', prefix)) problems.add(f, doc.locate(pointer('/scope/transactionalIds', i)));
      scopeTransactionalIds.add(prefix);
    });
    // Scopes of several files add up, like their prefixes: `false` claims nothing, it revokes nothing.
    if (scope.cluster === true) scopeCluster = true;
    (scope.principals ?? []).forEach((principal, i) => {
      for (const f of principalFindings(principal)) problems.add(f, doc.locate(pointer('/scope/principals', i)));
      scopePrincipals.add(principal);
    });

    for (const [cluster, written] of Object.entries((valid('/overlays') && manifest.overlays) || {})) {
      const path = pointer('/overlays', cluster);
      if (!valid(path)) continue;
      let overlay = overlays.get(cluster);
      if (!overlay) {
        overlay = { cluster, at: doc.locate(path, 'key'), defaults: { config: new Map() }, topics: new Map(), patch: [] };
        overlays.set(cluster, overlay);
      }
      if (written.topicDefaults && valid(pointer(path, 'topicDefaults'))) {
        const layer = layerFromDocument(doc, pointer(path, 'topicDefaults'), written.topicDefaults as WrittenTopicOverride, ctx);
        mergeLayer(overlay.defaults, layer, `overlays.${cluster}.topicDefaults`, problems);
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
      if (!valid(pointer(path, 'patch'))) continue;
      (written.patch ?? []).forEach((op, i) => overlay.patch.push({ op, at: doc.locate(pointer(pointer(path, 'patch'), i)) }));
    }
  }

  const declared = [...topics.values()];
  const byName = new Map(declared.map((t) => [t.name, t]));
  for (const c of topicCollisions(declared.map((t) => t.name))) {
    const other = byName.get(c.with);
    const self = byName.get(c.name);
    if (other && self) problems.add(collisionFinding(c.name, c.with, elsewhere(other.nameAt, self.nameAt)), self.nameAt);
  }

  return {
    clusters,
    defaults,
    topics: declared,
    acls: [...acls.values()],
    scopeTopics: [...scopeTopics].sort(),
    scopeGroups: [...scopeGroups].sort(),
    scopeTransactionalIds: [...scopeTransactionalIds].sort(),
    scopeCluster,
    scopePrincipals: [...scopePrincipals].sort(),
    overlays,
    vendorPrefixes,
    ignoredPrefixes,
    invalidTopics,
  };
}
