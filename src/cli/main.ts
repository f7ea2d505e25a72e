/**
 * The `kafkaform` command line: parses arguments with commander and hands typed options to the
 * command functions. Everything else (output, exit codes) lives in the commands and `exit.ts`.
 *
 * A command's module is imported when that command runs, so `--version`, `--help` and each
 * command load only what they use.
 */
import { isatty } from 'node:tty';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../errors.js';
import { EXPORT_FORMATS, OUTPUT_FORMATS, packageVersion, useColor, VALIDATE_FORMATS, type Io } from '../commands/io.js';
import { DEFAULT_CONCURRENCY } from '../apply/executor.js';
import { CLUSTER_TYPES } from '../model.js';
import { DEFAULT_MAX_ACL_DELETES } from '../plan/defaults.js';
import { parseSelector } from '../plan/select.js';
import { DEFAULT_TIMEOUT_MS } from '../deadline.js';
import { formatDuration, parseDuration } from '../duration.js';
import { EXIT, reportError } from '../commands/exit.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('must be a whole number of at least 1');
  }
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
}

/** One `--target` more: checked as it is read, so a bad selector fails before anything runs. */
function target(value: string, previous: string[] | undefined): string[] {
  const parsed = parseSelector(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
  return collect(value, previous);
}

function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 1) throw new InvalidArgumentError('must be a duration with a unit, such as 90s, 10m or 1h');
  return ms;
}

/** The process's own streams, environment and terminal. */
export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    // Asked of the file descriptors: process.stdin and the others would each build a stream just
    // to answer (stdin's is needed only by the prompt).
    isTTY: isatty(1),
    stderrIsTTY: isatty(2),
    // The confirmation needs a person at the keyboard, wherever stdout goes (`apply | tee log`).
    canPrompt: isatty(0),
    // A terminal that cannot move the cursor (TERM=dumb) gets the plain lines.
    ...(isatty(2) && process.env['TERM'] !== 'dumb'
      ? { liveProgress: () => import('./progress-bar.js').then(({ progressBar }) => progressBar(process.stderr)) }
      : {}),
    prompt: (question, signal) => import('./terminal.js').then(({ ask }) => ask(question, signal)),
    interruptible: (fn) => import('./terminal.js').then(({ interruptible }) => interruptible(fn)),
  };
}

interface Flags {
  cluster?: string;
  debug?: boolean;
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
  type?: string;
  set?: string[];
  fromSnapshot?: string;
  prefix?: string[];
  splitByPrefix?: boolean;
  force?: boolean;
}

/** Collects a repeatable option's values. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
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

/** How to get a command's usage, said after every mistake on its command line. */
function seeHelp(cmd: Command): string {
  return `see ${cmd.parent ? `kafkaform ${cmd.name()}` : 'kafkaform'} --help`;
}

/**
 * Commander's message as one sentence of ours: without its `error: ` prefix and final period, an
 * invalid value's reason joined with a colon, a suggestion in brackets, then where the usage is.
 */
function usageSentence(message: string, cmd: Command): string {
  const sentence = message
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.*)\?\)$/, ' (did you mean $1?)')
    .replace(/ is invalid\. (\S)/, (_, first: string) => ` is invalid: ${first.toLowerCase()}`)
    .replace(/\.$/, '');
  return `${sentence}; ${seeHelp(cmd)}`;
}

/** The output options' values as commander parsed them. */
interface OutputFlags {
  output: string;
  out?: string;
  format?: string;
}

/**
 * The format (`-o, --output`) and file (`--out`, `-` for stdout) of a command's output. With
 * `legacy`, the old spelling still works for one release, with a warning giving the new one:
 * `-f, --format FORMAT`, and `-o FILE` (then the file's flag) when FILE looks like a file name (it
 * has a dot or a slash, as in `-o plan.json`): a mistyped format (`-o jsno`) is an error, not a file.
 */
function outputOf<F extends string>(cmd: Command, formats: readonly F[], legacy: boolean, io: Io): { format: F; out?: string } {
  const flags = cmd.opts<OutputFlags>();
  const isFormat = (value: string): value is F => (formats as readonly string[]).includes(value);
  const invalid = (value: string): UsageError =>
    new UsageError(`option '-o, --output <format>' argument '${value}' is invalid: allowed choices are ${formats.join(', ')} (files are written with --out FILE); ${seeHelp(cmd)}`);
  let output = cmd.getOptionValueSource('output') === 'default' ? undefined : flags.output;
  let out = flags.out;
  const old: string[] = [];
  const now: string[] = [];
  if (output !== undefined && !isFormat(output)) {
    if (!legacy || out !== undefined || !/[./\\]/.test(output)) throw invalid(output);
    old.push(`-o ${output}`);
    now.push(`--out ${output}`);
    out = output;
    output = undefined;
  }
  if (flags.format !== undefined) {
    if (output !== undefined) throw new UsageError(`--format is the old spelling of -o; give only -o ${output}; ${seeHelp(cmd)}`);
    old.unshift(`--format ${flags.format}`);
    now.unshift(`-o ${flags.format}`);
    output = flags.format;
  }
  if (old.length > 0) {
    io.stderr(`warning: "${old.join(' ')}" is deprecated and stops working in the next release; write "${now.join(' ')}"\n`);
  }
  // The first format is the default (outputOptions).
  const format = output ?? formats[0]!;
  if (!isFormat(format)) throw invalid(format);
  return { format, ...(out !== undefined && out !== '-' ? { out } : {}) };
}

/** Builds the program; `run` receives the chosen command's exit code, `failed` learns which command's line was wrong. */
function program(io: Io, run: (code: Promise<number>) => void, failed: (cmd: Command) => void): Command {
  const root = new Command('kafkaform')
    .description('Declarative GitOps for Apache Kafka topics, topic configs and ACLs.')
    .version(packageVersion(), '-V, --version')
    .option('--no-color', 'never colour the output, whatever the terminal, NO_COLOR or FORCE_COLOR say')
    .configureHelp({ showGlobalOptions: true })
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
  const outputOptions = (cmd: Command, formats: readonly string[], what: string, legacy: boolean): Command => {
    cmd
      .addOption(new Option('-o, --output <format>', `${what}: ${formats.join(', ')}`).default(formats[0]))
      .option('--out <file>', 'write the output to this file instead of stdout ("-": stdout)');
    // The old spelling, for one release: outputOf warns.
    return legacy ? cmd.addOption(new Option('-f, --format <format>').choices(formats).hideHelp()) : cmd;
  };
  const targetOption = (cmd: Command): Command =>
    cmd.addOption(
      new Option('--target <selector>', 'only the resources the selector matches: topic:<glob> or acl:<principal glob> (repeatable)').argParser(target),
    );
  const maxAclDeletes = new Option('--max-acl-deletes <n>', 'refuse plans deleting more ACL bindings than this')
    .argParser(nonNegativeInt)
    .default(DEFAULT_MAX_ACL_DELETES);

  outputOptions(common(root.command('validate')), VALIDATE_FORMATS, 'report format', false)
    .description('check the manifests (offline, every cluster)')
    .action((paths: string[], flags: Flags, cmd: Command) => {
      const output = outputOf(cmd, VALIDATE_FORMATS, false, io);
      run(import('../commands/validate.js').then(({ validate }) => validate({ paths, ...given(flags, 'debug'), ...output }, io)));
    });

  targetOption(outputOptions(clusterOption(common(root.command('plan'))), OUTPUT_FORMATS, 'output format', true))
    .description('show what apply would change')
    .option('--detailed-exitcode', 'exit 2 when the plan has changes (held-back ones are not)')
    .option('--allow-delete', 'plan deleting topics in scope that the manifests no longer declare')
    .addOption(maxAclDeletes)
    .action((paths: string[], flags: Flags, cmd: Command) => {
      const output = outputOf(cmd, OUTPUT_FORMATS, true, io);
      run(
        import('../commands/plan.js').then(({ plan }) =>
          plan(
            {
              paths,
              ...given(flags, 'cluster', 'debug', 'quiet', 'detailedExitcode', 'allowDelete', 'maxAclDeletes'),
              ...targets(flags),
              ...timeout(flags),
              ...output,
            },
            io,
          ),
        ),
      );
    });

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

  targetOption(outputOptions(clusterOption(common(root.command('drift'))), OUTPUT_FORMATS, 'output format', true))
    .description('report differences between the cluster and the manifests (exit 2 on drift, as plan --detailed-exitcode)')
    .option('--allow-delete', 'count deletions of topics in scope as drift, as apply --allow-delete would make them')
    .addOption(maxAclDeletes)
    .action((paths: string[], flags: Flags, cmd: Command) => {
      const output = outputOf(cmd, OUTPUT_FORMATS, true, io);
      run(
        import('../commands/drift.js').then(({ drift }) =>
          drift({ paths, ...given(flags, 'cluster', 'debug', 'quiet', 'allowDelete', 'maxAclDeletes'), ...targets(flags), ...timeout(flags), ...output }, io),
        ),
      );
    });

  outputOptions(clusterOption(common(root.command('export'))), EXPORT_FORMATS, 'what to write', true)
    .description("write the cluster's live state as a manifest (the default) or a snapshot")
    .action((paths: string[], flags: Flags, cmd: Command) => {
      const output = outputOf(cmd, EXPORT_FORMATS, true, io);
      run(
        import('../commands/export.js').then(({ exportCommand }) =>
          exportCommand({ paths, ...given(flags, 'cluster', 'debug', 'quiet'), ...timeout(flags), ...output }, io),
        ),
      );
    });

  clusterOption(common(root.command('init').argument('<dir>', 'folder to write the manifests into')))
    .description('adopt an existing cluster: write manifests that plan as no change against it')
    .addOption(new Option('--type <type>', 'declare the cluster here instead of in manifests: its kind').choices([...CLUSTER_TYPES]))
    .option('--set <key=value>', 'a setting of the cluster declared with --type (repeatable; e.g. bootstrapServers=broker:9092, sasl.password=${KAFKA_PASSWORD})', collect)
    .option('--from-snapshot <file>', 'adopt the state recorded in a snapshot file (offline)')
    .option('--prefix <prefix>', 'adopt only topics, groups and transactional ids starting with this, and the ACL bindings on them (repeatable)', collect)
    .option('--split-by-prefix', 'write one file per topic name prefix (topics/orders.yaml) and per principal (acls/billing.yaml)')
    .option('--force', 'overwrite files that already exist')
    .action((dir: string, paths: string[], flags: Flags) =>
      run(
        import('../commands/init.js').then(({ init }) =>
          init(
            {
              dir,
              paths,
              ...given(flags, 'cluster', 'debug', 'type', 'set', 'fromSnapshot', 'splitByPrefix', 'force'),
              ...(flags.prefix !== undefined ? { prefixes: flags.prefix } : {}),
              ...timeout(flags),
            },
            io,
          ),
        ),
      ),
    );

  for (const cmd of root.commands) {
    cmd.exitOverride((e) => {
      failed(cmd);
      throw e;
    });
  }
  return root;
}

/** Runs kafkaform with `argv` (without node and script) and returns the process exit code. */
export async function main(argv: string[], givenIo: Io = processIo()): Promise<number> {
  // Read before parsing, so that a mistake on the command line is reported as asked too.
  const io = argv.includes('--no-color') ? { ...givenIo, noColor: true } : givenIo;
  const debug = argv.includes('--debug');
  let result: Promise<number> | undefined;
  let failedIn: Command | undefined;
  const root = program(
    io,
    (code) => {
      result = code;
    },
    (cmd) => {
      failedIn = cmd;
    },
  );
  // Commander answers `help nope` with the general help as an error; name the unknown command instead.
  const args = argv[0] === 'help' && argv[1] !== undefined && !root.commands.some((c) => c.name() === argv[1]) ? argv.slice(1) : argv;
  try {
    await root.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help asked for (`help`, `help plan`, `plan --help`) exits 0; help shown for a missing command, 1.
      if (e.code === 'commander.help' || e.code === 'commander.helpDisplayed' || e.code === 'commander.version') {
        return e.exitCode === 0 ? EXIT.ok : EXIT.error;
      }
      const sentence = usageSentence(e.message, failedIn ?? root);
      return reportError(new UsageError(sentence), { stderr: io.stderr, debug, color: useColor(io, 'stderr') });
    }
    return reportError(e, { stderr: io.stderr, debug, color: useColor(io, 'stderr') });
  }
  return result === undefined ? EXIT.error : await result;
}
