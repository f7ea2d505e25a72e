/**
 * The snapshot file on disk: reading and validating it, serialising it deterministically, and
 * writing it back so that neither a crash nor a concurrent apply can leave a corrupt file.
 */
import { open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ConfigError } from '../../errors.js';
import { canonicalConfigValue } from '../../kafka/configs.js';
import type { AclBinding, ClusterType, LiveConfig, LiveState, LiveTopic } from '../../model.js';
import { compareAcls } from '../../plan/index.js';
import { compareStrings } from '../../plan/order.js';
import { terminalSafeJson } from '../../render/escape.js';
import { validateSnapshot as validateSnapshotSchema } from './schema.validators.js';

/** The on-disk snapshot: a `LiveState` plus its format version and the kind of cluster it came from. */
export interface Snapshot extends LiveState {
  formatVersion: 1;
  source: { type: ClusterType };
}

/** Snapshots larger than this are refused before parsing: a live state is never this big. */
const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;

// Compiled ahead of time from schemas/snapshot.schema.json (scripts/manifest-validators.mjs).
const validator = validateSnapshotSchema as ValidateFunction;

function validateSnapshot(value: unknown): ErrorObject[] {
  return validator(value) ? [] : (validator.errors ?? []);
}

/** True when both are the same binding (all seven fields equal). */
export function sameAcl(a: AclBinding, b: AclBinding): boolean {
  return compareAcls(a, b) === 0;
}

/** Sorts topics by name and ACLs by binding, in place. */
export function sortLive(live: LiveState): void {
  live.topics.sort((a, b) => compareStrings(a.name, b.name));
  live.acls.sort(compareAcls);
  live.principals?.sort(compareStrings);
}

/**
 * Parses and validates snapshot text. `file` is only used in messages. Config values are brought
 * to canonical Kafka spelling so a hand-edited snapshot plans like a cluster would.
 */
export function parseSnapshot(text: string, file: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`snapshot ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const errors = validateSnapshot(value);
  if (errors.length > 0) {
    const first = errors
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
      .join('; ');
    throw new ConfigError(`snapshot ${file} does not match schemas/snapshot.schema.json: ${first}`);
  }
  const raw = value as Snapshot & { $schema?: string };
  const snapshot: Snapshot = {
    formatVersion: 1,
    source: { type: raw.source.type },
    clusterId: raw.clusterId,
    topics: raw.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions,
      replicationFactor: t.replicationFactor,
      internal: t.internal,
      configs: canonicalConfigs(t.configs),
    })),
    acls: raw.acls.map((a) => ({ ...a })),
    ...(raw.principals ? { principals: [...raw.principals] } : {}),
    ...(raw.aclsUnavailable !== undefined ? { aclsUnavailable: raw.aclsUnavailable } : {}),
  };
  sortLive(snapshot);
  const names = new Set<string>();
  for (const t of snapshot.topics) {
    if (names.has(t.name)) throw new ConfigError(`snapshot ${file} lists topic "${t.name}" twice`);
    names.add(t.name);
  }
  snapshot.acls = snapshot.acls.filter((a, i, all) => i === 0 || !sameAcl(a, all[i - 1]!));
  return snapshot;
}

function canonicalConfigs(configs: Record<string, LiveConfig>): Record<string, LiveConfig> {
  const out: Record<string, LiveConfig> = {};
  for (const key of Object.keys(configs).sort(compareStrings)) {
    const c = configs[key]!;
    out[key] = {
      value: c.value === null ? null : canonicalConfigValue(key, c.value),
      setOnTopic: c.setOnTopic,
      source: c.source,
      ...(c.inheritedValue !== undefined
        ? { inheritedValue: c.inheritedValue === null ? null : canonicalConfigValue(key, c.inheritedValue) }
        : {}),
      readOnly: c.readOnly,
      sensitive: c.sensitive,
    };
  }
  return out;
}

/** Reads and validates a snapshot file; the raw text is returned to detect later changes. */
export async function readSnapshotFile(file: string): Promise<{ snapshot: Snapshot; text: string }> {
  let text: string;
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_SNAPSHOT_BYTES) {
        throw new ConfigError(`snapshot ${file} is larger than ${MAX_SNAPSHOT_BYTES / 1024 / 1024} MiB`);
      }
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`cannot read snapshot ${file}: ${describeFsError(e)}`);
  }
  return { snapshot: parseSnapshot(text, file), text };
}

/**
 * Serialises a snapshot deterministically: fixed key order, sorted lists, sensitive values
 * blanked (a snapshot is a file people commit and share).
 */
export function serializeSnapshot(snapshot: Snapshot): string {
  const copy: Snapshot = structuredClone(snapshot);
  sortLive(copy);
  const ordered = {
    formatVersion: 1,
    source: { type: copy.source.type },
    clusterId: copy.clusterId,
    topics: copy.topics.map((t: LiveTopic) => ({
      name: t.name,
      partitions: t.partitions,
      replicationFactor: t.replicationFactor,
      internal: t.internal,
      configs: Object.fromEntries(
        Object.keys(t.configs)
          .sort(compareStrings)
          .map((k) => {
            const c = t.configs[k]!;
            return [
              k,
              {
                value: c.sensitive ? null : c.value,
                setOnTopic: c.setOnTopic,
                source: c.source,
                ...(c.inheritedValue !== undefined ? { inheritedValue: c.sensitive ? null : c.inheritedValue } : {}),
                readOnly: c.readOnly,
                sensitive: c.sensitive,
              },
            ];
          }),
      ),
    })),
    acls: copy.acls.map((a) => ({
      principal: a.principal,
      host: a.host,
      resourceType: a.resourceType,
      resourceName: a.resourceName,
      patternType: a.patternType,
      operation: a.operation,
      permission: a.permission,
    })),
    ...(copy.principals ? { principals: copy.principals } : {}),
    ...(copy.aclsUnavailable !== undefined ? { aclsUnavailable: copy.aclsUnavailable } : {}),
  };
  // `export -o snapshot` prints this: names from the server must not drive the terminal.
  return `${terminalSafeJson(JSON.stringify(ordered, null, 2))}\n`;
}

/**
 * Replaces `file` with `text` atomically: the text goes to a temporary file in the same directory,
 * is flushed to disk, then renamed over the target. Readers and crashes see the old file or the
 * new one, never a mix.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // The replacement keeps the permissions of the file it replaces.
  const mode = await stat(file).then(
    (s) => s.mode & 0o777,
    () => 0o644,
  );
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.chmod(mode);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw new ConfigError(`cannot write ${file}: ${describeFsError(e)}`);
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable; some platforms cannot open a directory, which only weakens
  // durability after a power loss, never atomicity.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    return;
  }
}

/** An exclusive lock on a snapshot file, held from the first change until the file is written. */
export interface SnapshotLock {
  release(): Promise<void>;
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** How long an apply waits for another one to finish with the same snapshot. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;

/**
 * Takes `<file>.lock` (created exclusively). Waits up to `waitMs` for another holder; a lock left
 * by a process that no longer runs on this host is taken over.
 */
export async function lockSnapshot(file: string, waitMs = DEFAULT_LOCK_WAIT_MS): Promise<SnapshotLock> {
  const lockFile = `${file}.lock`;
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await writeFile(lockFile, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
      return {
        release: async () => {
          await unlink(lockFile).catch(() => undefined);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ConfigError(`cannot lock snapshot ${file}: ${describeFsError(e)}`);
      }
    }
    const holder = await readLockOwner(lockFile);
    if (holder && holder.host === owner.host && !processRuns(holder.pid)) {
      // The holder crashed. A second apply racing for the same stale lock is the remaining
      // window; both then re-check the file's content before changing anything.
      await unlink(lockFile).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? ` (pid ${holder.pid} on ${holder.host}, since ${holder.since})` : '';
      throw new ConfigError(
        `snapshot ${file} is locked by another kafkaform apply${who}; if none is running, delete ${lockFile}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function readLockOwner(lockFile: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(lockFile, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.since === 'string') {
      return { pid: parsed.pid, host: parsed.host, since: parsed.since };
    }
  } catch {
    // Being written right now, or already gone: treated as held by someone unknown.
  }
  return undefined;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOSPC':
      return 'no space left on device';
    default:
      return err.message ?? String(e);
  }
}
