/**
 * Manifests: YAML files → checked, merged, normalised desired state per cluster.
 *
 * Pipeline: discover files → read safely → parse with positions → interpolate `${VAR}` (not in
 * `clusters`) → JSON Schema → merge documents (duplicates are errors) → per cluster: overlay,
 * defaults, semantic checks. Every problem is collected and reported at once.
 */
import { ManifestError, type ManifestProblem } from '../errors.js';
import type { ClusterSpec, DesiredState, JsonValue } from '../model.js';
import { collect, collectClusters, type CheckedDocument } from './collect.js';
import { checkOverlayNames, checkOverlayTopics, desiredState } from './desired.js';
import { discoverFiles, readManifestText } from './files.js';
import { interpolateValue, type Env } from './interpolate.js';
import { Problems, sortProblems } from './problems.js';
import { checkSchema, coerceInterpolated } from './schema.js';
import type { WrittenManifest } from './written.js';
import { looksLikeManifest } from './recognize.js';
import { parseYaml, pointer, type ParsedDocument } from './yaml.js';
import { closest } from '../kafka/suggest.js';

export { resolveClusterSettings } from './clusters.js';
export { sortProblems } from './problems.js';
export type { Env } from './interpolate.js';

/** The loaded manifests. */
export interface Manifests {
  /** Declared clusters, sorted by name; settings still hold their `${VAR}` references. */
  clusters: ClusterSpec[];
  /** Problems that do not stop anything, sorted by place. */
  warnings: ManifestProblem[];
  /**
   * The desired state for a cluster: its overlay applied when it has one, otherwise the shared
   * manifests. Works for any name, declared or not. The state is shared by every call and by
   * clusters without an overlay or version of their own: callers read it and never change it.
   */
  desiredFor(clusterName: string): DesiredState;
  /**
   * `configKeys.ignoredPrefixes` when any manifest sets it (the planner merges them with the
   * target's platform-managed prefixes); undefined means "the target's own list only".
   */
  ignoredConfigPrefixes: string[] | undefined;
  /** Vendor config key prefixes accepted beyond the built-in ones (`configKeys.vendorPrefixes`). */
  vendorConfigPrefixes: string[];
  /** Every manifest file used, in the order read (skipped non-kafkaform files excluded). */
  files: string[];
  /** YAML files found in directories and skipped as not kafkaform manifests, sorted (for `--debug`). */
  skipped: string[];
}

/** Options of `loadManifests`. */
export interface LoadOptions {
  /** Variables for `${VAR}` interpolation (not applied to cluster settings). */
  env: Env;
  /**
   * Offline checks of a cluster's settings as written, by its kind (the targets know them; this
   * module does not depend on targets). Their problems are reported with every other one.
   */
  clusterProblems?: (cluster: ClusterSpec) => ManifestProblem[];
  /**
   * Called with the declared clusters (sorted by name) once every file that may declare one is
   * checked and nothing so far is an error, before the other files are parsed and before topics
   * and ACLs are checked: a command can start reading its cluster meanwhile. Loading waits for
   * the promise it returns (say, until the cluster is open and its read under way). Loading may
   * still fail after it.
   */
  onClusters?: (clusters: readonly ClusterSpec[]) => void | Promise<void>;
}

/**
 * The part of a document a schema problem disqualifies: an item of a list or map section
 * (`/topics/3`, `/clusters/prod`), a part of an overlay (`/overlays/dev/patch`,
 * `/overlays/dev/topics/orders.v1`, `/overlays/dev/acls/0`), a whole other section (`/scope`), or the document (``).
 */
function unitOf(path: string): string {
  const segments = path.split('/').slice(1);
  const [top, item] = segments;
  if (top === undefined) return '';
  if (top === 'overlays') return `/${segments.slice(0, segments[2] === 'topics' || segments[2] === 'acls' ? 4 : 3).join('/')}`;
  const itemised = ['topics', 'acls', 'clusters'].includes(top);
  return itemised && item !== undefined ? `/${top}/${item}` : `/${top}`;
}

/** False when `path` or any part containing it is disqualified. */
function validIn(bad: ReadonlySet<string>, path: string): boolean {
  for (let p = path; ; p = p.slice(0, p.lastIndexOf('/'))) {
    if (bad.has(p)) return false;
    if (p === '') return true;
  }
}

/** Interpolates every section except `clusters`, whose settings are resolved only when used. */
function interpolateDocument(doc: ParsedDocument, env: Env, problems: Problems): { value: JsonValue; failed: ReadonlySet<string> } {
  const failed = new Set<string>();
  const interpolated = new Set<string>();
  const v = doc.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { value: v, failed };
  const out: Record<string, JsonValue> = {};
  for (const [key, section] of Object.entries(v)) {
    if (key === 'clusters' || key === 'apiVersion') {
      out[key] = section;
      continue;
    }
    const r = interpolateValue(section, env, pointer('', key));
    for (const p of r.interpolated) interpolated.add(p);
    for (const m of r.missing) {
      problems.error(`environment variable ${m.name} is not set (write \${${m.name}:-default} to give a default)`, doc.locate(m.path));
      failed.add(m.path);
    }
    for (const b of r.bad) {
      problems.error(`malformed reference "${b.text}": write \${NAME} or \${NAME:-default}, or $\${ for a literal \${`, doc.locate(b.path));
      failed.add(b.path);
    }
    out[key] = r.value;
  }
  return { value: coerceInterpolated(out, interpolated), failed };
}

/** The failed references of a document that has none. */
const NO_FAILURES: ReadonlySet<string> = new Set();

/**
 * `Manifests.desiredFor`. A closure of its own: one made inside `loadManifests` would share that
 * function's scope, and with it every text and parsed document, for as long as the result lives.
 */
function desiredLookup(perCluster: ReadonlyMap<string, DesiredState>, base: DesiredState): (clusterName: string) => DesiredState {
  return (clusterName) => perCluster.get(clusterName) ?? base;
}

/**
 * False only for a file that cannot declare a cluster: its text neither spells "clusters" nor
 * holds a backslash (a double-quoted key could spell it with escapes). Generous on purpose: a
 * file wrongly judged unable would have its clusters missed by the early read.
 */
function mayDeclareClusters(r: { text: string } | { problem: ManifestProblem }): boolean {
  return !('text' in r) || r.text.includes('clusters') || r.text.includes('\\');
}

/**
 * Lets pending I/O callbacks run: a whole turn of the event loop, its poll phase included (one
 * `setImmediate` may return before it). Loading is CPU work on the one thread that also drives
 * the cluster read started by `onClusters`: without these pauses its connections would open and
 * its requests leave only once every manifest is checked.
 */
function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/**
 * Loads manifests from files and directories (every `*.yaml`/`*.yml` below a directory, sorted).
 * Throws `ManifestError` carrying every problem (errors and warnings, sorted) when any is an error.
 */
export async function loadManifests(paths: readonly string[], options: LoadOptions): Promise<Manifests> {
  const problems = new Problems();
  const { files, problems: fileProblems } = await discoverFiles(paths);
  for (const p of fileProblems) problems.push(p);
  const texts: Array<{ text: string } | { problem: ManifestProblem }> = [];
  for (const file of files) texts.push(await readManifestText(file.path));
  /** What each file gave, by its place in `files`: its checked documents, or that it was skipped. */
  const outcomes: Array<CheckedDocument[] | 'skipped'> = [];
  const usedRoots = new Set<number>();
  const check = (k: number): void => {
    const file = files[k] as (typeof files)[number];
    const r = texts[k] as (typeof texts)[number];
    if ('problem' in r) {
      problems.push(r.problem);
      for (const root of file.roots) usedRoots.add(root);
      outcomes[k] = [];
      return;
    }
    const parsed = parseYaml(file.path, r.text);
    // A directory may hold other YAML (CI workflows, Helm charts, compose files): skip what is
    // plainly not ours, even when it is not valid YAML. Anything that looks like ours is checked
    // in full, so a misspelt apiVersion is an error rather than a file left out.
    if (file.discovered && !looksLikeManifest(parsed.documents, r.text)) {
      outcomes[k] = 'skipped';
      return;
    }
    for (const root of file.roots) usedRoots.add(root);
    for (const p of parsed.problems) problems.push(p);
    const docs: CheckedDocument[] = [];
    // Only text with a `$` (or an escape, which could spell one) can hold a reference.
    const references = r.text.includes('$') || r.text.includes('\\');
    for (const doc of parsed.documents) {
      const { value, failed } = references ? interpolateDocument(doc, options.env, problems) : { value: doc.value, failed: NO_FAILURES };
      // A failed reference was reported already; the schema's view of the emptied string would
      // only repeat it.
      const schemaProblems = checkSchema(value, doc.locate).filter((p) => !failed.has(p.path));
      for (const p of schemaProblems) problems.push(p);
      const bad = new Set([...schemaProblems.map((p) => p.path), ...failed].map(unitOf));
      if (bad.has('') || bad.has('/apiVersion')) continue;
      docs.push({
        doc: { ...doc, value },
        manifest: value as unknown as WrittenManifest,
        valid: bad.size === 0 ? () => true : (path) => validIn(bad, path),
      });
    }
    outcomes[k] = docs;
  };
  const inOrder = (): CheckedDocument[] => outcomes.flatMap((o) => (o === undefined || o === 'skipped' ? [] : o));

  // The files that may declare clusters are checked first, so a command can start reading its
  // cluster while the others (usually the big ones: topics, ACLs) are still being parsed. The
  // rest cannot declare one, so the clusters found here are all there are. Documents are merged
  // in file order below whatever the order they were checked in.
  const first = files.map((_, k) => k).filter((k) => mayDeclareClusters(texts[k] as (typeof texts)[number]));
  for (const k of first) check(k);
  const clusters = collectClusters(inOrder(), problems);
  for (const cluster of clusters) for (const p of options.clusterProblems?.(cluster) ?? []) problems.push(p);
  if (options.onClusters && !problems.list.some((p) => p.severity === 'error')) {
    await options.onClusters(clusters);
    await yieldToIo();
  }
  for (const k of files.keys()) {
    if (outcomes[k] !== undefined) continue;
    check(k);
    await yieldToIo();
  }
  const checked = inOrder();
  const read = files.filter((_, k) => outcomes[k] !== 'skipped').map((f) => f.path);
  const skipped = files.filter((_, k) => outcomes[k] === 'skipped').map((f) => f.path);

  // A path given that yields no manifest at all is a mistake (a wrong directory, or manifests
  // that all went unrecognised): planning from nothing would delete everything in scope.
  const reached = new Set(files.flatMap((f) => f.roots));
  for (const [root, path] of paths.entries()) {
    if (!reached.has(root) || usedRoots.has(root)) continue;
    const n = files.filter((f) => f.roots.includes(root)).length;
    problems.error(
      `contains no kafkaform manifest: ${n === 1 ? 'its one YAML file has neither "apiVersion: kafkaform/v1" nor' : `none of its ${n} YAML files has "apiVersion: kafkaform/v1" or`} a kafkaform section (run with --debug to list them)`,
      { file: path, line: 0, column: 0, path: '' },
    );
  }

  const collected = collect(checked, clusters, problems);
  await yieldToIo();
  checkOverlayTopics(collected, problems);
  checkOverlayNames(collected, problems);
  const clusterNames = collected.clusters.map((c) => c.name);
  for (const overlay of collected.overlays.values()) {
    if (clusterNames.includes(overlay.cluster)) continue;
    const guess = closest(overlay.cluster, clusterNames);
    problems.warning(
      `overlay for cluster "${overlay.cluster}", which no manifest declares${guess ? ` (did you mean "${guess}"?)` : ''}`,
      overlay.at,
    );
  }
  // The shared state warns about version-dependent keys only when some cluster (or none at all)
  // leaves its Kafka version open; a cluster that declares one is checked against it.
  const versionless = collected.clusters.length === 0 || collected.clusters.some((c) => c.kafkaVersion === undefined);
  const base = desiredState(collected, undefined, problems, { versionWarnings: versionless });
  const perCluster = new Map<string, DesiredState>();
  const versions = new Map(collected.clusters.map((c) => [c.name, c.kafkaVersion]));
  const names = [...new Set([...collected.overlays.keys(), ...collected.clusters.filter((c) => c.kafkaVersion).map((c) => c.name)])];
  for (const name of names.sort()) {
    const kafkaVersion = versions.get(name);
    perCluster.set(
      name,
      desiredState(collected, collected.overlays.get(name), problems, {
        cluster: name,
        ...(kafkaVersion ? { kafkaVersion } : {}),
        versionWarnings: kafkaVersion === undefined,
      }),
    );
  }

  const all = sortProblems(problems.list);
  if (all.some((p) => p.severity === 'error')) throw new ManifestError(all);
  return {
    clusters: collected.clusters,
    warnings: all,
    desiredFor: desiredLookup(perCluster, base),
    ignoredConfigPrefixes: collected.ignoredPrefixes,
    vendorConfigPrefixes: collected.vendorPrefixes,
    files: read,
    skipped: skipped.sort(),
  };
}
