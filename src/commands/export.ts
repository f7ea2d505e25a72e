/** `kafkaform export`: the live state of a cluster as a snapshot file or as a manifest. */
import { Document, isScalar, isSeq, visit } from 'yaml';
import { UsageError } from '../errors.js';
import type { AclBinding, ClusterType, LiveState } from '../model.js';
import { compareAcls, isInternalTopic } from '../plan/index.js';
import { compareStrings } from '../plan/order.js';
import { safe } from '../render/index.js';
import { serializeSnapshot } from '../targets/snapshot/file.js';
import { reportError, EXIT } from '../cli/exit.js';
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

/**
 * Characters a terminal may interpret (C0/C1 controls, DEL, bidi controls, line separators, BOM,
 * lone surrogates): a name or value from the server holding one must not reach the file, or the
 * terminal it is printed on, raw.
 */
const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/;
/** The ones the YAML library leaves raw even in double-quoted scalars. */
const YAML_RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** A manifest declaring exactly the live state, and the sensitive keys it had to leave out. */
export function exportManifest(
  live: LiveState,
  meta: { cluster: string; type: ClusterType; ignoredConfigPrefixes: readonly string[] },
): { text: string; omitted: string[] } {
  const omitted: string[] = [];
  const topics = live.topics
    .filter((t) => !isInternalTopic(t.name, t))
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((t) => {
      const config: Record<string, string> = {};
      for (const key of Object.keys(t.configs).sort(compareStrings)) {
        const c = t.configs[key]!;
        if (!c.setOnTopic || meta.ignoredConfigPrefixes.some((p) => key.startsWith(p))) continue;
        if (c.sensitive || c.value === null) {
          omitted.push(`topic ${safe(t.name)} config ${safe(key)}`);
          continue;
        }
        config[key] = c.value;
      }
      return {
        name: t.name,
        partitions: t.partitions,
        replicationFactor: t.replicationFactor,
        ...(Object.keys(config).length > 0 ? { config } : {}),
      };
    });

  // One entry per binding apart from the operation: the way people write ACLs by hand.
  const groups = new Map<string, { binding: AclBinding; operations: string[] }>();
  for (const acl of [...live.acls].sort(compareAcls)) {
    const key = JSON.stringify([acl.principal, acl.host, acl.resourceType, acl.resourceName, acl.patternType, acl.permission]);
    const group = groups.get(key);
    if (group) group.operations.push(acl.operation);
    else groups.set(key, { binding: acl, operations: [acl.operation] });
  }
  const acls = [...groups.values()].map(({ binding, operations }) => ({
    principal: binding.principal,
    resourceType: binding.resourceType,
    resourceName: binding.resourceName,
    ...(binding.patternType === 'LITERAL' ? {} : { patternType: binding.patternType }),
    operations: operations.sort(compareStrings),
    ...(binding.host === '*' ? {} : { host: binding.host }),
    ...(binding.permission === 'ALLOW' ? {} : { permission: binding.permission }),
  }));

  const doc = new Document({
    apiVersion: 'kafkaform/v1',
    ...(topics.length > 0 ? { topics } : {}),
    ...(acls.length > 0 ? { acls } : {}),
  });
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'operations' && isSeq(pair.value)) pair.value.flow = true;
    },
    Scalar(_, node) {
      if (typeof node.value === 'string' && TERMINAL_UNSAFE.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  doc.commentBefore = [
    ` Exported by kafkaform from cluster ${meta.cluster} (${meta.type}).`,
    ' Internal topics and platform-managed config keys are left out.',
    ...(omitted.length > 0 ? [' Sensitive values are never exported; add them back with ${VAR} references:', ...omitted.map((o) => `   ${o}`)] : []),
  ].join('\n');
  // Every string holding such a character is double-quoted (above), where `\uXXXX` is a YAML
  // escape; the library escapes C0 itself but writes these raw.
  const text = doc.toString({ lineWidth: 0 }).replace(YAML_RAW_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return { text, omitted };
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
