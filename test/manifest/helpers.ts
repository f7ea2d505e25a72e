// Shared by the manifest tests: temporary manifest trees and loading that returns problems.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { ManifestError, type ManifestProblem } from '../../src/errors.js';
import { loadManifests, type Manifests } from '../../src/manifest/index.js';

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** Writes `files` (relative path → content) under a fresh temporary directory; returns it. */
export function tree(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'kafkaform-manifest-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const full = join(root, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

/** Loads and expects success. */
export async function load(paths: string[], env: Record<string, string | undefined> = {}): Promise<Manifests> {
  return loadManifests(paths, { env });
}

/** Loads and expects a ManifestError; returns its problems as `file:line:col severity message (path)` with `root` stripped. */
export async function problems(paths: string[], root: string, env: Record<string, string | undefined> = {}): Promise<string[]> {
  try {
    await loadManifests(paths, { env });
  } catch (e) {
    if (e instanceof ManifestError) return e.problems.map((p) => show(p, root));
    throw e;
  }
  throw new Error('expected the manifests to be rejected');
}

/** One problem as a line, paths relative to `root`. */
export function show(p: ManifestProblem, root: string): string {
  const file = p.file.startsWith(root) ? p.file.slice(root.length + 1) : p.file;
  return `${file}:${p.line}:${p.column} ${p.severity} ${p.message}${p.path ? ` (${p.path})` : ''}`;
}

/** A minimal valid manifest header. */
export const HEAD = 'apiVersion: kafkaform/v1\n';
