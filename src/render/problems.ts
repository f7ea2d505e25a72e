/**
 * Validation reports for machines: `validate -o json` (our own shape, schemas/validation.schema.json)
 * and `validate -o sarif` (SARIF 2.1.0, which GitHub code scanning shows inline in pull requests).
 * Both are pure functions of the problems found, sorted by file, line and column.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ManifestProblem } from '../errors.js';
import { sortProblems } from '../manifest/problems.js';
import { terminalSafeJson } from './escape.js';

/** What `validate` found for one declared cluster. */
export interface ValidatedCluster {
  name: string;
  type: string;
  topics: number;
  acls: number;
}

/** Version of the `validate -o json` shape; raised only when a field changes meaning or goes. */
export const VALIDATION_FORMAT_VERSION = 1;

/**
 * `validate -o json`: `valid` is false when any problem is an error; `problems` are sorted by
 * file, line, column and message; line and column are 1-based, 0 for a problem with a whole file;
 * `path` is the JSON pointer inside the document. `clusters` lists the clusters checked, none when the
 * manifests could not be loaded.
 */
export function renderValidationJson(problems: readonly ManifestProblem[], clusters: readonly ValidatedCluster[]): string {
  const sorted = sortProblems(problems);
  const errors = sorted.filter((p) => p.severity === 'error').length;
  const report = {
    formatVersion: VALIDATION_FORMAT_VERSION,
    valid: errors === 0,
    summary: { errors, warnings: sorted.length - errors },
    clusters: clusters.map((c) => ({ name: c.name, type: c.type, topics: c.topics, acls: c.acls })),
    problems: sorted.map((p) => ({ severity: p.severity, file: p.file, line: p.line, column: p.column, path: p.path, message: p.message })),
  };
  return `${terminalSafeJson(JSON.stringify(report, null, 2))}\n`;
}

/** A SARIF rule: the part of the manifests a problem is in. */
interface Rule {
  id: string;
  name: string;
  text: string;
}

/**
 * Every rule, always listed in this order whatever was found, so that rules do not change from
 * run to run (GitHub expects only results to). A problem's rule is the manifest section its JSON
 * path starts in; `document` covers YAML syntax and the shape of a document as a whole, `files`
 * the problems with a whole file or directory.
 */
const RULES: readonly Rule[] = [
  { id: 'files', name: 'ManifestFiles', text: 'Which files are kafkaform manifests, and whether they can be read.' },
  { id: 'document', name: 'ManifestDocument', text: 'YAML syntax and the shape of a manifest document: apiVersion first, known top-level sections only.' },
  { id: 'apiVersion', name: 'ApiVersion', text: 'Every manifest document starts with "apiVersion: kafkaform/v1".' },
  { id: 'clusters', name: 'Clusters', text: 'Cluster declarations: type, connection settings and ${VAR} references.' },
  { id: 'scope', name: 'Scope', text: 'What the manifests own, and therefore what a plan may delete.' },
  { id: 'topicDefaults', name: 'TopicDefaults', text: 'Fields every topic gets unless it sets them.' },
  { id: 'topics', name: 'Topics', text: 'Topic declarations: names, partitions, replication factor and topic configs, checked against Kafka\'s rules.' },
  { id: 'acls', name: 'Acls', text: 'ACL bindings and roles: principals, resource types, operations, and what the cluster kind can express.' },
  { id: 'overlays', name: 'Overlays', text: 'Per-cluster differences, by cluster name.' },
  { id: 'configKeys', name: 'ConfigKeys', text: 'How topic config key names are treated.' },
];

const FILES = 0;
const DOCUMENT = 1;

/** The index of the problem's rule in `RULES`. */
function ruleOf(problem: ManifestProblem): number {
  if (problem.line === 0) return FILES;
  const section = problem.path.split('/')[1] ?? '';
  const index = RULES.findIndex((r, i) => i > DOCUMENT && r.id === section);
  return index === -1 ? DOCUMENT : index;
}

/**
 * The file's URI: relative to `%SRCROOT%` (the directory validate ran in, which GitHub resolves
 * against the repository root) when the file is inside it, else an absolute `file:` URI.
 */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const absolute = resolve(cwd, file);
  const rel = relative(cwd, absolute);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return { uri: pathToFileURL(absolute).href };
  if (rel === '') return { uri: './', uriBaseId: '%SRCROOT%' };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** Where the problem is; a problem with a whole file points at its start. */
function region(problem: ManifestProblem): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  const line = problem.line > 0 ? problem.line : 1;
  const column = problem.column > 0 ? problem.column : 1;
  return { startLine: line, startColumn: column, endLine: line, endColumn: column + 1 };
}

/**
 * `validate -o sarif`: one result per problem (level `error` or `warning`), located in its file
 * relative to `cwd`, with the rules above and their help text. `partialFingerprints` are left to
 * GitHub's upload-sarif action, which computes them from the files.
 */
export function renderSarif(problems: readonly ManifestProblem[], tool: { version: string; cwd: string }): string {
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kafkaform',
            version: tool.version,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.text },
              fullDescription: { text: r.text },
              help: { text: `${r.text} Run kafkaform validate for the same problems with file:line:column.` },
              defaultConfiguration: { level: 'error' },
            })),
          },
        },
        results: sortProblems(problems).map((p) => {
          const index = ruleOf(p);
          return {
            ruleId: RULES[index]!.id,
            ruleIndex: index,
            level: p.severity,
            message: { text: p.path === '' ? p.message : `${p.message} (${p.path})` },
            locations: [{ physicalLocation: { artifactLocation: artifactLocation(p.file, tool.cwd), region: region(p) } }],
          };
        }),
      },
    ],
  };
  return `${terminalSafeJson(JSON.stringify(log, null, 2))}\n`;
}
