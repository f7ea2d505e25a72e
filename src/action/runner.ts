/**
 * The GitHub Actions runner protocol, as the runner implements it: inputs arrive as `INPUT_*`
 * variables, outputs and the step summary are files named by `GITHUB_OUTPUT` and
 * `GITHUB_STEP_SUMMARY`, and annotations and masks are workflow commands on stdout.
 * Kept free of kafkaform logic so it can be checked against the runner's rules on its own.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** Environment variables as the runner passes them. */
export type RunnerEnv = Record<string, string | undefined>;

/**
 * The value of input `name` as the runner passes it (`INPUT_` + name upper-cased, spaces as `_`),
 * trimmed; empty when unset.
 */
export function getInput(env: RunnerEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/**
 * A boolean input, accepting the YAML 1.2 core-schema spellings the toolkit accepts
 * (`true | True | TRUE | false | False | FALSE`); empty means `fallback`.
 */
export function getBooleanInput(env: RunnerEnv, name: string, fallback: boolean): boolean {
  const raw = getInput(env, name);
  if (raw === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE'].includes(raw)) return false;
  throw new UsageError(`Input "${name}" must be true or false, not "${raw}".`);
}

/** Escapes a workflow command's message the way the runner unescapes it. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value; `:` and `,` delimit properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Where an annotation points; GitHub shows it on that line of the pull request's diff. */
export interface AnnotationLocation {
  /** Path relative to the repository root (the runner's working directory by default). */
  file: string;
  line?: number;
  col?: number;
  title?: string;
}

/** One workflow command line, `::name k=v,k=v::message`, without the trailing newline. */
export function workflowCommand(name: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${name}${props === '' ? '' : ` ${props}`}::${escapeData(message)}`;
}

/**
 * One `name<<delimiter` block of the `GITHUB_OUTPUT` / `GITHUB_ENV` file format. The delimiter is
 * random so no value can end the block early; a value containing it is refused, as the toolkit does.
 */
export function keyValueBlock(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new UsageError(`Output "${name}" contains the delimiter ${delimiter}.`);
  }
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** GitHub refuses step summaries above 1 MiB per step; the rest of the job is unaffected. */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/**
 * The runner as seen from inside a step: workflow commands go to `write` (stdout), outputs and
 * summary to the files the runner names. Every command emitted is escaped.
 */
export class Runner {
  private summaryBytes = 0;
  private summaryCut = false;
  private readonly secrets = new Set<string>();

  constructor(
    private readonly env: RunnerEnv,
    private readonly write: (line: string) => void,
  ) {}

  /** An error annotation; with a location it shows on that line of the diff. */
  error(message: string, at?: AnnotationLocation): void {
    this.annotate('error', message, at);
  }

  /** A warning annotation. */
  warning(message: string, at?: AnnotationLocation): void {
    this.annotate('warning', message, at);
  }

  /** A notice annotation. */
  notice(message: string, at?: AnnotationLocation): void {
    this.annotate('notice', message, at);
  }

  /** A line shown only when the job runs with debug logging; secrets removed. */
  debug(message: string): void {
    this.write(`${this.redact(workflowCommand('debug', {}, message))}\n`);
  }

  /**
   * Registers a secret with the runner so it is replaced by `***` in the log. Each line of a
   * multi-line value is registered too: the runner masks line by line.
   */
  mask(secret: string): void {
    const parts = new Set([secret, ...secret.split(/\r?\n/)].map((s) => s.trim()).filter((s) => s !== ''));
    for (const part of [...parts].sort()) {
      this.secrets.add(part);
      this.write(`${workflowCommand('add-mask', {}, part)}\n`);
    }
  }

  /**
   * `text` with every masked value replaced by `***`, longest first so overlapping secrets leave
   * no tail. Summaries, outputs and annotations go through this: the runner masks only the log.
   */
  redact(text: string): string {
    let out = text;
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
    return out;
  }

  /** Sets step output `name` (multi-line safe). */
  setOutput(name: string, value: string): void {
    appendFileSync(this.requiredFile('GITHUB_OUTPUT'), keyValueBlock(name, this.redact(value)));
  }

  /**
   * Appends markdown to the job summary, cut with a note when the step would pass GitHub's
   * 1 MiB limit (the runner would otherwise drop the whole summary).
   */
  appendSummary(markdown: string): void {
    const file = this.requiredFile('GITHUB_STEP_SUMMARY');
    const note = '\n\n> **Note:** the summary was cut here: GitHub keeps at most 1 MiB of summary per step.\n';
    const clean = this.redact(markdown);
    const text = clean.endsWith('\n') ? clean : `${clean}\n`;
    if (this.summaryCut) return;
    const room = STEP_SUMMARY_LIMIT_BYTES - this.summaryBytes;
    let out = text;
    if (Buffer.byteLength(text) > room) {
      out = truncateUtf8(text, Math.max(0, room - Buffer.byteLength(note))) + note;
      this.summaryCut = true;
    }
    appendFileSync(file, out);
    this.summaryBytes += Buffer.byteLength(out);
  }

  private annotate(kind: 'error' | 'warning' | 'notice', message: string, at?: AnnotationLocation): void {
    const props: Record<string, string | number | undefined> = at
      ? { file: at.file, line: at.line || undefined, col: at.col || undefined, title: at.title }
      : {};
    this.write(`${this.redact(workflowCommand(kind, props, message))}\n`);
  }

  private requiredFile(variable: 'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY'): string {
    const file = this.env[variable];
    if (!file) throw new UsageError(`${variable} is not set: run the action inside a GitHub Actions job.`);
    return file;
  }
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, cut at a line end when possible. */
function truncateUtf8(text: string, maxBytes: number): string {
  let cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  // A multi-byte character split at the boundary decodes as U+FFFD; drop it.
  if (cut.endsWith('\uFFFD') && !text.startsWith(cut)) cut = cut.slice(0, -1);
  const lastLine = cut.lastIndexOf('\n');
  return lastLine > 0 ? cut.slice(0, lastLine + 1) : cut;
}
