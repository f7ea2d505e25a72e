/**
 * Finding manifest files and reading them safely: size cap, binary and non-UTF-8 detection.
 */
import { open, readdir, realpath, stat } from 'node:fs/promises';
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
}

function fileProblem(file: string, message: string): ManifestProblem {
  return { severity: 'error', message, file, line: 0, column: 0, path: '' };
}

const YAML_FILE = /\.ya?ml$/i;

/**
 * Every file named, and every `*.yaml` / `*.yml` below each directory named, in sorted order
 * (byte order of the relative path). Hidden entries and `node_modules` are skipped in directory
 * walks: they hold CI workflows and dependencies, not manifests. A file reached twice is read once.
 */
export async function discoverFiles(paths: readonly string[]): Promise<{ files: ManifestFile[]; problems: ManifestProblem[] }> {
  const files: ManifestFile[] = [];
  const problems: ManifestProblem[] = [];
  const seen = new Set<string>();
  const add = async (path: string, discovered: boolean): Promise<void> => {
    const real = await realpath(path);
    if (seen.has(real)) return;
    seen.add(real);
    files.push({ path, discovered });
  };
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      problems.push(fileProblem(path, 'no such file or directory'));
      continue;
    }
    if (info.isDirectory()) {
      const found: string[] = [];
      await walkDirectory(path, '', found, new Set([await realpath(path)]));
      found.sort(compareBytes);
      if (found.length === 0) problems.push(fileProblem(path, 'directory contains no *.yaml or *.yml files'));
      for (const rel of found) await add(join(path, rel), true);
    } else if (info.isFile()) {
      await add(path, false);
    } else {
      problems.push(fileProblem(path, 'is not a regular file or directory'));
    }
  }
  return { files, problems };
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function walkDirectory(root: string, rel: string, out: string[], visited: Set<string>): Promise<void> {
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const childRel = rel === '' ? e.name : join(rel, e.name);
    const full = join(root, childRel);
    let info;
    try {
      info = await stat(full);
    } catch {
      continue; // a dangling symlink is not a manifest
    }
    if (info.isDirectory()) {
      const real = await realpath(full);
      if (visited.has(real)) continue; // symlink cycle
      visited.add(real);
      await walkDirectory(root, childRel, out, visited);
    } else if (info.isFile() && YAML_FILE.test(e.name)) {
      out.push(childRel);
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
