/**
 * The `kafkaform` command line: parses arguments with commander and hands typed options to the
 * command functions. Everything else (output, exit codes) lives in the commands and `exit.ts`.
 *
 * A command's module is imported when that command runs, so `--version`, `--help` and each
 * command load only what they use.
 */
import { readFileSync } from 'node:fs';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../errors.js';
import { EXPORT_FORMATS, OUTPUT_FORMATS, useColor, type ExportFormat, type Io, type OutputFormat } from '../commands/io.js';
import { DEFAULT_CONCURRENCY } from '../apply/executor.js';
import { DEFAULT_MAX_ACL_DELETES } from '../plan/index.js';
import { parseSelector } from '../plan/select.js';
import { DEFAULT_TIMEOUT_MS } from '../deadline.js';
import { formatDuration, parseDuration } from '../duration.js';
import { EXIT, reportError } from './exit.js';
import { ask, interruptible } from './terminal.js';

function version(): string {
  // Same relative depth from src/cli and dist/cli to package.json.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('must be a whole number of at least 1.');
  }
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number.');
  return n;
}

/** One `--target` more: checked as it is read, so a bad selector fails before anything runs. */
function target(value: string, previous: string[] | undefined): string[] {
  const parsed = parseSelector(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
  return [...(previous ?? []), value];
}

function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 1) throw new InvalidArgumentError('must be a duration with a unit, such as 90s, 10m or 1h.');
  return ms;
}

/** The process's own streams, environment and terminal. */
export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    // The confirmation needs a person at the keyboard, wherever stdout goes (`apply | tee log`).
    canPrompt: process.stdin.isTTY === true,
    // A terminal that cannot move the cursor (TERM=dumb) gets the plain lines.
    ...(process.stderr.isTTY === true && process.env['TERM'] !== 'dumb'
      ? { liveProgress: () => import('./progress-bar.js').then(({ progressBar }) => progressBar(process.stderr)) }
      : {}),
    prompt: ask,
    interruptible,
  };
}

interface Flags {
  cluster?: string;
  debug?: boolean;
  format?: string;
  out?: string;
  detailedExitcode?: boolean;
  allowDelete?: boolean;
  maxAclDeletes?: number;
  autoApprove?: boolean;
  plan?: string;
  concurrency?: number;
  quiet?: boolean;
  waitReassignment?: boolean;
  reassignmentThrottle?: number;
  timeout?: number;
  target?: string[];
}

/** Copies the flags a user gave, leaving out those they did not. */
function given<K extends keyof Flags>(flags: Flags, ...keys: K[]): Pick<Flags, K> {
  const out: Partial<Flags> = {};
  for (const k of keys) if (flags[k] !== undefined) (out as Record<string, unknown>)[k] = flags[k];
  return out as Pick<Flags, K>;
}

/** `--timeout` as the commands take it. */
function timeout(flags: Flags): { timeoutMs?: number } {
  return flags.timeout === undefined ? {} : { timeoutMs: flags.timeout };
}

/** `--target` as the commands take it. */
function targets(flags: Flags): { targets?: string[] } {
  return flags.target === undefined ? {} : { targets: flags.target };
}

/** Builds the program; `run` receives the chosen command's exit code. */
function program(io: Io, run: (code: Promise<number>) => void): Command {
  const root = new Command('kafkaform')
    .description('Declarative GitOps for Apache Kafka topics, topic configs and ACLs.')
    .version(version(), '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      // Parse errors are reported by exit.ts like every other error.
      outputError: () => undefined,
    });

  const common = (cmd: Command): Command =>
    cmd
      .addArgument(new Argument('[paths...]', 'manifest files or directories').default([], 'the current directory'))
      .option('--debug', 'more detail and stack traces on errors (never secrets)');
  const clusterOption = (cmd: Command): Command =>
    cmd
      .option('-c, --cluster <name>', 'cluster to use (default: KAFKAFORM_CLUSTER, or the only one declared)')
      .option('-q, --quiet', 'no progress on stderr: stages, per-operation lines, retries and cluster notices (errors still show)')
      .addOption(
        new Option('--timeout <duration>', 'give up when the command has not finished after this long (e.g. 90s, 10m, 1h)')
          .argParser(duration)
          .default(DEFAULT_TIMEOUT_MS, formatDuration(DEFAULT_TIMEOUT_MS)),
      );
  const formatOption = (cmd: Command): Command =>
    cmd
      .addOption(new Option('-f, --format <format>', 'output format').choices([...OUTPUT_FORMATS]).default('text'))
      .option('-o, --out <file>', 'write the output to a file instead of stdout');
  const targetOption = (cmd: Command): Command =>
    cmd.addOption(
      new Option('--target <selector>', 'only the resources the selector matches: topic:<glob> or acl:<principal glob> (repeatable)').argParser(target),
    );
  const maxAclDeletes = new Option('--max-acl-deletes <n>', 'refuse plans deleting more ACL bindings than this')
    .argParser(nonNegativeInt)
    .default(DEFAULT_MAX_ACL_DELETES);

  common(root.command('validate'))
    .description('check the manifests (offline, every cluster)')
    .action((paths: string[], flags: Flags) =>
      run(import('../commands/validate.js').then(({ validate }) => validate({ paths, ...given(flags, 'debug') }, io))),
    );

  targetOption(formatOption(clusterOption(common(root.command('plan')))))
    .description('show what apply would change')
    .option('--detailed-exitcode', 'exit 2 when the plan has changes (held-back ones are not)')
    .option('--allow-delete', 'plan deleting topics in scope that the manifests no longer declare')
    .addOption(maxAclDeletes)
    .action((paths: string[], flags: Flags) =>
      run(
        import('../commands/plan.js').then(({ plan }) =>
          plan(
            {
              paths,
              ...given(flags, 'cluster', 'debug', 'quiet', 'out', 'detailedExitcode', 'allowDelete', 'maxAclDeletes'),
              ...targets(flags),
              ...timeout(flags),
              format: flags.format as OutputFormat,
            },
            io,
          ),
        ),
      ),
    );

  targetOption(clusterOption(common(root.command('apply'))))
    .description('change the cluster to match the manifests')
    .option('--auto-approve', 'apply without asking (required when not on a terminal)')
    .option('--allow-delete', 'delete topics in scope that the manifests no longer declare')
    .option('--plan <file>', 'apply this saved JSON plan (it names the cluster and options); refused unless planning again gives exactly this plan')
    .addOption(
      new Option('--concurrency <n>', 'operations at once inside a phase').argParser(positiveInt).default(DEFAULT_CONCURRENCY),
    )
    .addOption(new Option('--max-acl-deletes <n>', 'refuse plans deleting more ACL bindings than this').argParser(nonNegativeInt).default(DEFAULT_MAX_ACL_DELETES))
    .option('--no-wait-reassignment', 'return once replication-factor changes have started moving replicas, without waiting')
    .addOption(
      new Option('--reassignment-throttle <bytes>', 'limit replication to this many bytes per second while replicas move').argParser(positiveInt),
    )
    .action((paths: string[], flags: Flags, cmd: Command) => {
      // A saved plan records its limit: only a limit the user typed can contradict it.
      const typed = cmd.getOptionValueSource('maxAclDeletes') !== 'default';
      run(
        import('../commands/apply.js').then(({ apply }) =>
          apply(
            {
              paths,
              ...given(flags, 'cluster', 'debug', 'autoApprove', 'allowDelete', 'concurrency', 'quiet', 'waitReassignment', 'reassignmentThrottle'),
              ...targets(flags),
              ...(typed && flags.maxAclDeletes !== undefined ? { maxAclDeletes: flags.maxAclDeletes } : {}),
              ...timeout(flags),
              ...(flags.plan !== undefined ? { planFile: flags.plan } : {}),
            },
            io,
          ),
        ),
      );
    });

  targetOption(formatOption(clusterOption(common(root.command('drift')))))
    .description('report differences between the cluster and the manifests (exit 2 on drift, as plan --detailed-exitcode)')
    .option('--allow-delete', 'count deletions of topics in scope as drift, as apply --allow-delete would make them')
    .addOption(maxAclDeletes)
    .action((paths: string[], flags: Flags) =>
      run(
        import('../commands/drift.js').then(({ drift }) =>
          drift(
            {
              paths,
              ...given(flags, 'cluster', 'debug', 'quiet', 'out', 'allowDelete', 'maxAclDeletes'),
              ...targets(flags),
              ...timeout(flags),
              format: flags.format as OutputFormat,
            },
            io,
          ),
        ),
      ),
    );

  clusterOption(common(root.command('export')))
    .description("write the cluster's live state as a snapshot or a manifest")
    .addOption(new Option('-f, --format <format>', 'what to write').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action((paths: string[], flags: Flags) =>
      run(
        import('../commands/export.js').then(({ exportCommand }) =>
          exportCommand({ paths, ...given(flags, 'cluster', 'debug', 'quiet', 'out'), ...timeout(flags), format: flags.format as ExportFormat }, io),
        ),
      ),
    );

  return root;
}

/** Runs kafkaform with `argv` (without node and script) and returns the process exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let result: Promise<number> | undefined;
  const root = program(io, (code) => {
    result = code;
  });
  const debug = argv.includes('--debug');
  try {
    await root.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
      if (e.code === 'commander.help' || e.code === 'commander.executeSubCommandAsync') return EXIT.error;
      const message = e.message.replace(/^error: /, '');
      return reportError(new UsageError(`${message}; see kafkaform --help`), { stderr: io.stderr, debug, color: useColor(io) });
    }
    return reportError(e, { stderr: io.stderr, debug, color: useColor(io) });
  }
  return result === undefined ? EXIT.error : await result;
}
