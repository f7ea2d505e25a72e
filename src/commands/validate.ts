/** `kafkaform validate`: check the manifests offline, for every declared cluster. */
import { ConfigError, ManifestError, type ManifestProblem } from '../errors.js';
import type { ClusterSpec } from '../model.js';
import { renderSarif, renderValidationJson, safe, type ValidatedCluster } from '../render/index.js';
import { TARGET_KINDS } from '../targets/index.js';
import type { TargetKind } from '../targets/target.js';
import { readSnapshotFile } from '../targets/snapshot/file.js';
import { snapshotPath } from '../targets/snapshot/index.js';
import { EXIT, reportError, reportWarnings } from './exit.js';
import { adaptDesired, load, type CommonOptions } from './common.js';
import { emit, packageVersion, useColor, type Io, type ValidateFormat } from './io.js';

/** Options of `validate`. */
export interface ValidateOptions extends CommonOptions {
  /** `text` (default): a summary on stdout, problems on stderr; `json` and `sarif`: a report of every problem. */
  format?: ValidateFormat;
  /** Write the report to this file instead of stdout. */
  out?: string;
}

/**
 * The rules a declared cluster plans with, known offline. A snapshot follows the kind it was taken
 * from when its file can be read now; validate needs no snapshot file or credentials, so an
 * unreadable one falls back to plain Kafka rules (plan reports it).
 */
export async function offlineRules(spec: ClusterSpec, env: Record<string, string | undefined>): Promise<TargetKind> {
  if (spec.type !== 'snapshot') return TARGET_KINDS[spec.type];
  try {
    const { snapshot } = await readSnapshotFile(snapshotPath(spec, env));
    return TARGET_KINDS[snapshot.source.type];
  } catch (e) {
    if (e instanceof ConfigError) return TARGET_KINDS.snapshot;
    throw e;
  }
}

/**
 * Loads the manifests, builds every declared cluster's desired state (overlays applied) and checks
 * it against the cluster kind's rules. Reports every problem at once. Exit 0 when valid, else 1.
 * Stderr is the same in every format (warnings, and the problems when there are errors); the format
 * picks what goes to stdout or `out`: a summary, or a JSON or SARIF report of every problem.
 */
export async function validate(options: ValidateOptions, io: Io): Promise<number> {
  const debug = options.debug === true;
  const format = options.format ?? 'text';
  const color = useColor(io, 'stderr');
  try {
    let checked: Checked;
    try {
      checked = await check(options, io);
    } catch (e) {
      // Invalid manifests are what a report is for: written, then reported as usual.
      if (format !== 'text' && e instanceof ManifestError) await emit(io, report(format, e.problems, [], io), options.out, 'Validation report');
      throw e;
    }
    const { shown, problems, clusters } = checked;
    if (format !== 'text') await emit(io, report(format, [...shown, ...problems], clusters, io), options.out, 'Validation report');
    if (problems.some((p) => p.severity === 'error')) throw new ManifestError(problems);
    reportWarnings(problems, { stderr: io.stderr, debug, color });
    if (format !== 'text') return EXIT.ok;
    const lines = clusters.map(
      ({ name, type, topics: t, acls: a }) => `  cluster ${safe(name)} (${type}): ${t} topic${t === 1 ? '' : 's'}, ${a} ACL binding${a === 1 ? '' : 's'}`,
    );
    const summary =
      clusters.length === 0
        ? 'The manifests are valid; they declare no cluster.\n'
        : `The manifests are valid for ${clusters.length} cluster${clusters.length === 1 ? '' : 's'}:\n${lines.join('\n')}\n`;
    await emit(io, summary, options.out, 'Validation report');
    return EXIT.ok;
  } catch (e) {
    return reportError(e, { stderr: io.stderr, debug, color });
  }
}

/** What `check` found. */
interface Checked {
  /** Warnings found while loading, already shown on stderr. */
  shown: ManifestProblem[];
  /** Problems of the clusters' rules, not shown yet, each once. */
  problems: ManifestProblem[];
  clusters: ValidatedCluster[];
}

/** Loads the manifests (throwing `ManifestError` when they are invalid) and checks every declared cluster offline. */
async function check(options: CommonOptions, io: Io): Promise<Checked> {
  const manifests = await load(options, io);
  const problems: ManifestProblem[] = [];
  const clusters: ValidatedCluster[] = [];
  for (const spec of [...manifests.clusters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const adapted = adaptDesired(manifests.desiredFor(spec.name), await offlineRules(spec, io.env), spec.name);
    problems.push(...adapted.problems);
    clusters.push({ name: spec.name, type: spec.type, topics: adapted.desired.topics.length, acls: adapted.desired.acls.length });
  }
  return { shown: manifests.warnings, problems: dedupeProblems(problems), clusters };
}

/** The `json` or `sarif` report of the problems and of the clusters checked (none when the manifests did not load). */
function report(format: 'json' | 'sarif', problems: readonly ManifestProblem[], clusters: readonly ValidatedCluster[], io: Io): string {
  const once = dedupeProblems(problems);
  if (format === 'sarif') return renderSarif(once, { version: packageVersion(), cwd: io.cwd ?? process.cwd() });
  return renderValidationJson(once, clusters);
}

/** The same problem found through several clusters is reported once. */
export function dedupeProblems(problems: readonly ManifestProblem[]): ManifestProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify([p.severity, p.file, p.line, p.column, p.path, p.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
