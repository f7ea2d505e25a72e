/**
 * The problems found while loading manifests, collected rather than thrown so that every one is
 * reported at once. The same message at the same place is kept once.
 */
import type { ManifestProblem } from '../errors.js';
import type { SourceLocation } from '../model.js';
import type { Finding } from './rules.js';

/** Collects problems, each placed in a file. */
export class Problems {
  readonly list: ManifestProblem[] = [];
  private readonly seen = new Set<string>();

  private static key(p: SourceLocation, message: string): string {
    return JSON.stringify([p.file, p.line, p.column, p.path, message]);
  }

  /** True when this finding was already reported at `at`. */
  has(finding: Finding, at: SourceLocation): boolean {
    return this.seen.has(Problems.key(at, finding.message));
  }

  /** Adds a problem unless the same message was already reported at the same place. */
  push(problem: ManifestProblem): void {
    const key = Problems.key(problem, problem.message);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(problem);
  }

  /** Adds a finding at `at`. */
  add(finding: Finding, at: SourceLocation): void {
    this.push({ severity: finding.severity, message: finding.message, file: at.file, line: at.line, column: at.column, path: at.path });
  }

  /** Adds an error. */
  error(message: string, at: SourceLocation): void {
    this.add({ severity: 'error', message }, at);
  }

  /** Adds a warning. */
  warning(message: string, at: SourceLocation): void {
    this.add({ severity: 'warning', message }, at);
  }
}

/** Orders problems by file, line, column, then message. */
export function sortProblems(problems: readonly ManifestProblem[]): ManifestProblem[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...problems].sort(
    (a, b) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.message, b.message) || cmp(a.path, b.path),
  );
}
