/**
 * Finding manifest files and reading them safely: size cap, binary and non-UTF-8 detection.
 */
import { open, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestProblem } from '../errors.js';

/** Files larger than this are refused before being read. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** A manifest file to read, and whether it was named explicitly or found in a directory. */
export interface ManifestFile {
  /** As the user will see it: the given path, or the directory joined with the relative path. */
  path: string;
  /** True when found by walking a directory (such files may be skipped when not ours). */
  discovered: boolean;
  /** The given paths (indexes into the list passed to `discoverFiles`) that reached this file. */
  roots: number[];
}

function fileProblem(file: string, message: string): ManifestProblem {
  return { severity: 'error', message, file, line: 0, column: 0, path: '' };
}

const YAML_FILE = /\.ya?ml$/i;

/**
 * Why an entry that `stat` could not follow is unusable: a broken or looping symbolic link, or one
 * we may not read. Such an entry may hide a manifest, so it is an error, never silently skipped.
 */
async function unreachable(path: string, error: NodeJS.ErrnoException): Promise<string> {
  const link = await readlink(path).catch(() => undefined);
  if (error.code === 'ELOOP') return 'is a symbolic link that loops back on itself';
  if (link !== undefined && error.code === 'ENOENT') return `is a broken symbolic link (its target ${link} does not exist)`;
  if (error.code === 'ENOENT') return 'no such file or directory';
  return `cannot be read (${error.code ?? error.message})`;
}

/**
 * Every file named, and every `*.yaml` / `*.yml` below each directory named, in sorted order
 * (byte order of the relative path). Hidden entries and `node_modules` are skipped in directory
 * walks: they hold CI workflows and dependencies, not manifests. A file reached twice is read once.
 * Anything in a walk that cannot be followed or read (broken or looping links, unreadable
 * directories) is a problem: it may hold manifests, and leaving them out would plan deletions.
 */
export async function discoverFiles(paths: readonly string[]): Promise<{ files: ManifestFile[]; problems: ManifestProblem[] }> {
  const files: ManifestFile[] = [];
  const problems: ManifestProblem[] = [];
  const byReal = new Map<string, ManifestFile>();
  const add = async (path: string, discovered: boolean, root: number): Promise<void> => {
    const real = await realpath(path);
    const known = byReal.get(real);
    if (known) {
      if (!known.roots.includes(root)) known.roots.push(root);
      return;
    }
    const file = { path, discovered, roots: [root] };
    byReal.set(real, file);
    files.push(file);
  };
  for (const [root, path] of paths.entries()) {
    let info;
    try {
      info = await stat(path);
    } catch (e) {
      problems.push(fileProblem(path, await unreachable(path, e as NodeJS.ErrnoException)));
      continue;
    }
    if (info.isDirectory()) {
      const found: string[] = [];
      const before = problems.length;
      await walkDirectory(path, '', found, new Set([await realpath(path)]), problems);
      found.sort(compareBytes);
      if (found.length === 0 && problems.length === before) {
        problems.push(fileProblem(path, 'directory contains no *.yaml or *.yml files'));
      }
      for (const rel of found) await add(join(path, rel), true, root);
    } else if (info.isFile()) {
      await add(path, false, root);
    } else {
      problems.push(fileProblem(path, 'is not a regular file or directory'));
    }
  }
  return { files, problems };
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function walkDirectory(root: string, rel: string, out: string[], visited: Set<string>, problems: ManifestProblem[]): Promise<void> {
  const dir = join(root, rel);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    problems.push(fileProblem(dir, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`));
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const childRel = rel === '' ? e.name : join(rel, e.name);
    const full = join(root, childRel);
    let info;
    try {
      info = await stat(full);
    } catch (error) {
      problems.push(fileProblem(full, await unreachable(full, error as NodeJS.ErrnoException)));
      continue;
    }
    if (info.isDirectory()) {
      const real = await realpath(full);
      // A link back to a directory already walked: everything in it is read once already.
      if (visited.has(real)) continue;
      visited.add(real);
      await walkDirectory(root, childRel, out, visited, problems);
    } else if (YAML_FILE.test(e.name)) {
      if (info.isFile()) out.push(childRel);
      else problems.push(fileProblem(full, 'is not a regular file'));
    }
  }
}

/** Reads a manifest as UTF-8 text, or explains in one sentence why it is not one. */
export async function readManifestText(file: string): Promise<{ text: string } | { problem: ManifestProblem }> {
  const handle = await open(file, 'r').catch((e: NodeJS.ErrnoException) => e);
  if (!('read' in handle)) return { problem: fileProblem(file, `cannot be read (${handle.code ?? handle.message})`) };
  try {
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES) {
      return { problem: fileProblem(file, `is ${mib(size)} MiB; manifest files are limited to ${mib(MAX_FILE_BYTES)} MiB`) };
    }
    const bytes = await handle.readFile();
    if (bytes.length > MAX_FILE_BYTES) {
      return { problem: fileProblem(file, `is over ${mib(MAX_FILE_BYTES)} MiB; manifest files are limited to that`) };
    }
    if (bytes.includes(0)) return { problem: fileProblem(file, 'is a binary file (it contains NUL bytes), not YAML') };
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      return { problem: fileProblem(file, `is not valid UTF-8 text (first bad byte at offset ${firstInvalidUtf8(bytes)})`) };
    }
    return { text };
  } finally {
    await handle.close();
  }
}

function mib(n: number): string {
  return (n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1);
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return i;
}
