/**
 * Readers for what a step leaves behind, parsed the way the runner parses them: the
 * `GITHUB_OUTPUT` file (`name=value` lines and `name<<DELIMITER` blocks) and workflow commands
 * on stdout (`::name k=v,...::message`, unescaped).
 */
import { readFileSync } from 'node:fs';

/** Parses a `GITHUB_OUTPUT` file into name → value; throws on a malformed block, as the runner fails the step. */
export function parseOutputFile(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter = ''] = heredoc;
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`unterminated output block ${name}`);
      out[name] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`malformed output line: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** A workflow command as the runner understands it. */
export interface ParsedCommand {
  name: string;
  properties: Record<string, string>;
  message: string;
}

const unescapeData = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string): string =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

/** Every workflow command in `stdout`, in order. */
export function parseCommands(stdout: string): ParsedCommand[] {
  const commands: ParsedCommand[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    const properties: Record<string, string> = {};
    for (const pair of (m[2] ?? '').split(',').filter((p) => p !== '')) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    commands.push({ name: m[1] ?? '', properties, message: unescapeData(m[3] ?? '') });
  }
  return commands;
}
