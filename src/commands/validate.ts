/** `kafkaform validate`: check the manifests offline, for every declared cluster. */
import { ConfigError, ManifestError, type ManifestProblem } from '../errors.js';
import type { ClusterSpec } from '../model.js';
import { safe } from '../render/index.js';
import { TARGET_KINDS } from '../targets/index.js';
import type { TargetKind } from '../targets/target.js';
import { readSnapshotFile } from '../targets/snapshot/file.js';
import { snapshotPath } from '../targets/snapshot/index.js';
import { EXIT, reportError, reportWarnings } from '../cli/exit.js';
import { adaptDesired, load, type CommonOptions } from './common.js';
import { useColor, type Io } from './io.js';

/** Options of `validate`. */
export type ValidateOptions = CommonOptions;

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
 */
export async function validate(options: ValidateOptions, io: Io): Promise<number> {
  const color = useColor(io);
  const debug = options.debug === true;
  try {
    const manifests = await load(options, io);
    const problems: ManifestProblem[] = [];
    const lines: string[] = [];
    const clusters = [...manifests.clusters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const spec of clusters) {
      const adapted = adaptDesired(manifests.desiredFor(spec.name), await offlineRules(spec, io.env), spec.name);
      problems.push(...adapted.problems);
      const t = adapted.desired.topics.length;
      const a = adapted.desired.acls.length;
      lines.push(
        `  cluster ${safe(spec.name)} (${spec.type}): ${t} topic${t === 1 ? '' : 's'}, ${a} ACL binding${a === 1 ? '' : 's'}`,
      );
    }
    if (problems.some((p) => p.severity === 'error')) throw new ManifestError(dedupeProblems(problems));
    reportWarnings(dedupeProblems(problems), { stderr: io.stderr, debug, color });
    io.stdout(
      clusters.length === 0
        ? 'The manifests are valid; they declare no cluster.\n'
        : `The manifests are valid for ${clusters.length} cluster${clusters.length === 1 ? '' : 's'}:\n${lines.join('\n')}\n`,
    );
    return EXIT.ok;
  } catch (e) {
    return reportError(e, { stderr: io.stderr, debug, color });
  }
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
