/** `kafkaform export`: the live state of a cluster as a snapshot file or as a manifest. */
import { UsageError } from '../errors.js';
import type { ClusterType, LiveState } from '../model.js';
import { adopt, describeOmitted, singleManifest } from '../adopt/index.js';
import { serializeSnapshot } from '../targets/snapshot/file.js';
import { reportError, EXIT } from './exit.js';
import { managedPrefixes, withProgress, withSession, type ClusterOptions } from './common.js';
import { emit, EXPORT_FORMATS, useColor, type ExportFormat, type Io } from './io.js';


/** Options of `export`. */
export interface ExportOptions extends ClusterOptions {
  format: ExportFormat;
  /** Write to this file instead of stdout. */
  out?: string;
}

/** The snapshot file text of a live state, recording the kind of cluster it came from. */
export function exportSnapshot(live: LiveState, source: ClusterType): string {
  return serializeSnapshot({ formatVersion: 1, source: { type: source }, ...live });
}

/** A manifest declaring exactly the live state, and the sensitive keys it had to leave out. */
export function exportManifest(
  live: LiveState,
  meta: { cluster: string; type: ClusterType; ignoredConfigPrefixes: readonly string[] },
): { text: string; omitted: string[] } {
  const adopted = adopt(live, { ignoredConfigPrefixes: meta.ignoredConfigPrefixes });
  const text = singleManifest(adopted, [
    `Exported by kafkaform from cluster ${meta.cluster} (${meta.type}).`,
    'Internal topics and platform-managed config keys are left out.',
  ]);
  return { text, omitted: adopted.omitted.map(describeOmitted) };
}

/** Writes the live state of the cluster as a snapshot or a manifest. Exit 0, or 1 on error. */
export async function exportCommand(options: ExportOptions, io: Io): Promise<number> {
  try {
    if (!(EXPORT_FORMATS as readonly string[]).includes(options.format)) {
      throw new UsageError(`unknown export format "${options.format}"; use manifest or snapshot`);
    }
    const text = await withProgress(io, options.quiet === true, (shown, progress) =>
      withSession({ ...options, progress }, shown, async (session) => {
        if (options.format === 'snapshot') return exportSnapshot(session.live, session.rules.type);
        const { text: manifest, omitted } = exportManifest(session.live, {
          cluster: session.spec.name,
          type: session.rules.type,
          ignoredConfigPrefixes: managedPrefixes(session),
        });
        for (const o of omitted) shown.stderr(`warning: ${o} is sensitive and was not exported\n`);
        return manifest;
      }),
    );
    await emit(io, text, options.out, options.format === 'snapshot' ? 'Snapshot' : 'Manifest');
    return EXIT.ok;
  } catch (e) {
    return reportError(e, { stderr: io.stderr, debug: options.debug === true, color: useColor(io, 'stderr') });
  }
}
