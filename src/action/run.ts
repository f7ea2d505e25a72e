/**
 * The GitHub Action: reads the step's inputs and context, runs the `validate`, `plan`, `apply`,
 * `drift` or `export` command function, and reports the way a workflow shows things: annotations on the diff, the job
 * summary, step outputs, and one pull-request comment kept up to date.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ConfigError, ManifestError, type ManifestProblem } from '../errors.js';
import type { ClusterSpec, Plan } from '../model.js';
import type { ApplyReport } from '../apply/executor.js';
import { loadManifests, sortProblems, type Manifests } from '../manifest/index.js';
import { renderMarkdown, renderText } from '../render/index.js';
import { apply, drift, exportCommand, plan, validate, type ExportFormat, type Io } from '../commands/index.js';
import { adaptDesired } from '../commands/common.js';
import { dedupeProblems, offlineRules } from '../commands/validate.js';
import { formatProblem } from '../commands/exit.js';
import { clusterSettingProblems } from '../targets/index.js';
import { USER_AGENT, VERSION } from '../http/index.js';
import { applyReportMarkdown, commentBody, commentMarker, fence } from './comment.js';
import { readContext, readInputs, type ActionInputs, type RunContext } from './context.js';
import { GitHubClient } from './github.js';
import { Runner, type RunnerEnv } from './runner.js';
import { clusterSecrets } from './secrets.js';

/** Where the action writes its log (the step's stdout and stderr). */
export interface ActionStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** What one command run produced. */
interface CommandRun {
  code: number;
  /** The saved JSON plan, when the command got as far as planning. */
  plan?: Plan;
  /** Everything the command wrote, for the summary when it failed. */
  log: string;
}

/**
 * Runs the action as the runner starts it and returns the process exit code: 0 when the step
 * succeeds, 1 when it fails. Every failure is also an `::error::` annotation.
 */
export async function runAction(env: RunnerEnv, streams: ActionStreams): Promise<number> {
  const runner = new Runner(env, streams.stdout);
  try {
    const inputs = readInputs(env);
    if (inputs.githubToken !== '') runner.mask(inputs.githubToken);
    const context = readContext(env);
    return await new ActionRun(inputs, context, env, runner, streams).run();
  } catch (error) {
    runner.error(error instanceof Error ? error.message : String(error));
    if (env['RUNNER_DEBUG'] === '1' && error instanceof Error && error.stack) runner.debug(error.stack);
    return 1;
  }
}

class ActionRun {
  private readonly heading: string;

  constructor(
    private readonly inputs: ActionInputs,
    private readonly context: RunContext,
    private readonly env: RunnerEnv,
    private readonly runner: Runner,
    private readonly streams: ActionStreams,
  ) {
    const name = inputs.cluster || env['KAFKAFORM_CLUSTER'] || '';
    this.heading = `kafkaform ${inputs.command}${name === '' ? '' : ` for cluster \`${name.replace(/`/g, "'")}\``}`;
  }

  async run(): Promise<number> {
    if (this.inputs.version !== '' && this.inputs.version !== VERSION) {
      this.runner.error(
        `This action runs kafkaform ${VERSION}, but the workflow pins version ${this.inputs.version}: use the action's release of kafkaform ${this.inputs.version} (uses: …/kafkaform@v${this.inputs.version}) or change the version input.`,
      );
      return 1;
    }
    const manifests = await this.loadChecked();
    if (!manifests) return 1;
    for (const secret of clusterSecrets(manifests.clusters, this.env)) this.runner.mask(secret);
    if (!(await this.annotateAdaptation(manifests))) return 1;
    switch (this.inputs.command) {
      case 'validate':
        return this.validate();
      case 'export':
        return (await this.exportTo(this.inputs.exportFormat, this.inputs.exportPath)) ? 0 : 1;
      case 'plan':
        return this.plan();
      case 'apply':
        return this.apply();
      case 'drift':
        return this.drift();
    }
  }

  /**
   * Loads the manifests once up front so their problems become annotations on the lines they
   * concern; the command loads them again and reports the same problems in the log.
   */
  private async loadChecked(): Promise<Manifests | undefined> {
    try {
      const manifests = await loadManifests(
        this.inputs.paths.map((p) => resolve(this.inputs.workingDirectory, p)),
        { env: this.env, clusterProblems: clusterSettingProblems },
      );
      this.annotate(manifests.warnings);
      return manifests;
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      await this.reportProblems(error.problems);
      return undefined;
    }
  }

  /**
   * What a cluster's kind cannot express (e.g. DigitalOcean's ACL model), as annotations: for
   * validate, of every declared cluster; otherwise of the selected one.
   */
  private async annotateAdaptation(manifests: Manifests): Promise<boolean> {
    const problems: ManifestProblem[] = [];
    for (const spec of this.adaptedClusters(manifests)) {
      problems.push(...adaptDesired(manifests.desiredFor(spec.name), await offlineRules(spec, this.env), spec.name).problems);
    }
    if (problems.some((p) => p.severity === 'error')) {
      await this.reportProblems(dedupeProblems(problems));
      return false;
    }
    this.annotate(dedupeProblems(problems));
    return true;
  }

  private adaptedClusters(manifests: Manifests): ClusterSpec[] {
    if (this.inputs.command === 'validate') return [...manifests.clusters];
    const wanted = this.inputs.cluster || this.env['KAFKAFORM_CLUSTER'] || undefined;
    const spec = wanted === undefined && manifests.clusters.length === 1 ? manifests.clusters[0] : manifests.clusters.find((c) => c.name === wanted);
    // An unknown or ambiguous cluster is the command's to report.
    return spec ? [spec] : [];
  }

  private async reportProblems(problems: readonly ManifestProblem[]): Promise<void> {
    this.annotate(problems);
    const errors = problems.filter((p) => p.severity === 'error').length;
    const lines = sortProblems(problems).map((p) => formatProblem({ ...p, file: this.repoPath(p.file) }));
    const markdown = [
      `### ${this.heading} failed`,
      '',
      `> [!CAUTION]`,
      `> **${errors} problem${errors === 1 ? '' : 's'} in the manifests**; each is annotated on its line.`,
      '',
      fence(lines.join('\n')),
      '',
    ].join('\n');
    this.runner.appendSummary(markdown);
    await this.comment(markdown);
  }

  private annotate(problems: readonly ManifestProblem[]): void {
    for (const p of sortProblems(problems)) {
      const message = p.path === '' ? p.message : `${p.message} (${p.path})`;
      const at = { file: this.repoPath(p.file), line: p.line, col: p.column, title: 'kafkaform' };
      if (p.severity === 'error') this.runner.error(message, at);
      else this.runner.warning(message, at);
    }
  }

  /** Checks the manifests offline, for every declared cluster: no credentials are read. */
  private async validate(): Promise<number> {
    const run = await this.command((io) => validate(this.options({}), io));
    if (run.code !== 0) return this.failed(run, 'the manifests are not valid', true);
    this.runner.appendSummary(`### ${this.heading}: the manifests are valid\n\n${fence(run.log.trimEnd())}\n`);
    return 0;
  }

  private async plan(): Promise<number> {
    const out = this.planFile();
    const run = await this.command((io) => plan(this.options({ format: 'json', out, ...this.planning() }), io), out);
    if (!run.plan) return this.failed(run, 'could not make a plan', true);
    if (!this.restrictedAsAsked(run.plan)) return 1;
    this.streams.stdout(this.runner.redact(renderText(run.plan, { color: false })));
    this.setOutputs(run.plan, out);
    const markdown = renderMarkdown(run.plan);
    this.runner.appendSummary(markdown);
    await this.comment(markdown);
    if (run.code !== 0) return this.failed(run, 'the plan has errors', false);
    return 0;
  }

  private async apply(): Promise<number> {
    const out = this.planFile();
    const planned = await this.command((io) => plan(this.options({ format: 'json', out, ...this.planning() }), io), out);
    if (!planned.plan) return this.failed(planned, 'could not make a plan', true);
    if (!this.restrictedAsAsked(planned.plan)) return 1;
    this.setOutputs(planned.plan, out);
    if (planned.code !== 0) {
      this.runner.appendSummary(renderMarkdown(planned.plan));
      return this.failed(planned, 'the plan has errors; nothing was applied', false);
    }
    if (planned.plan.actions.length === 0) {
      this.runner.appendSummary(`### ${this.heading}: no changes\n\nThe cluster matches the manifests; nothing to apply.\n`);
      return 0;
    }
    // Apply exactly the plan just shown; apply refuses it if the cluster changed in between.
    let report: ApplyReport | undefined;
    const concurrency = this.inputs.concurrency === undefined ? {} : { concurrency: this.inputs.concurrency };
    const applied = await this.command((io) =>
      apply(this.options({ autoApprove: true, planFile: out, ...concurrency, onReport: (r: ApplyReport) => (report = r) }), io),
    );
    const s = planned.plan.summary;
    const title =
      applied.code === 0
        ? `### ${this.heading}: applied\n\n${s.create} created, ${s.update} updated, ${s.delete} deleted.\n`
        : report
          ? `### ${this.heading} failed\n\nApply stopped part-way; running it again continues from there.\n`
          : `### ${this.heading} failed\n\nThe log below says why.\n`;
    const result = `${title}\n${report ? applyReportMarkdown(report) : ''}`;
    this.runner.appendSummary(
      `${result}\n${renderMarkdown(planned.plan)}\n<details><summary>Apply log</summary>\n\n${fence(applied.log.trimEnd())}\n\n</details>\n`,
    );
    await this.comment(result, 'apply');
    return applied.code === 0 ? 0 : this.failed(applied, 'apply failed', false);
  }

  private async drift(): Promise<number> {
    const out = this.planFile();
    // The same rule as the CLI's drift: drift is the plan's actions with the step's allow-delete;
    // held-back deletions are listed and counted, never drift.
    const run = await this.command((io) => drift(this.options({ format: 'json', out, ...this.planning() }), io), out);
    if (!run.plan) return this.failed(run, 'could not check for drift', true);
    if (!this.restrictedAsAsked(run.plan)) return 1;
    this.streams.stdout(this.runner.redact(renderText(run.plan, { color: false })));
    this.setOutputs(run.plan, out);
    const drifted = run.code === 2;
    const held = run.plan.heldBack.length;
    const cluster = `\`${run.plan.cluster.name.replace(/`/g, "'")}\``;
    const title =
      run.code === 1
        ? `### Drift check of cluster ${cluster} failed\n\nThe plan from the cluster to the manifests has errors.\n`
        : drifted
          ? `### Drift detected on cluster ${cluster}\n\nThe cluster differs from the manifests: applying them would make the changes below.\n`
          : held > 0
            ? `### No drift on cluster ${cluster}\n\nThe cluster matches the manifests; ${held === 1 ? '1 change is' : `${held} changes are`} held back, which is not drift without \`allow-delete: true\`.\n`
            : `### No drift on cluster ${cluster}\n\nThe cluster matches the manifests.\n`;
    this.runner.appendSummary(`${title}\n${run.code === 0 && held === 0 ? '' : renderMarkdown(run.plan)}`);
    const snapshotOk = this.inputs.exportSnapshot === '' || (await this.exportTo('snapshot', this.inputs.exportSnapshot));
    if (run.code === 1) return this.failed(run, 'the plan has errors', false);
    if (!snapshotOk) return 1;
    if (drifted && this.inputs.failOnDrift) {
      const s = run.plan.summary;
      this.runner.error(
        `Cluster ${run.plan.cluster.name} has drifted from the manifests: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${run.plan.heldBack.length} held back.`,
      );
      return 1;
    }
    return 0;
  }

  /**
   * Writes the live state as a snapshot (what forks' pull requests plan against) or as a manifest
   * to `file` (relative to the working directory), and names it in the output of that name.
   */
  private async exportTo(format: ExportFormat, file: string): Promise<boolean> {
    const path = resolve(this.inputs.workingDirectory, file);
    mkdirSync(dirname(path), { recursive: true });
    const run = await this.command((io) => exportCommand(this.options({ format, out: path }), io));
    if (run.code !== 0) {
      await this.failed(run, `could not export the ${format}`, true);
      return false;
    }
    if (format === 'snapshot') this.runner.setOutput('snapshot', path);
    else this.runner.setOutput('manifest', path);
    if (this.inputs.command === 'export') this.runner.appendSummary(`### ${this.heading}\n\nThe cluster's ${format} is in \`${this.repoPath(path)}\`.\n`);
    return true;
  }

  /**
   * Whether the plan covers exactly the resources the `target` input selects, as the plan records
   * it. A plan covering more than the workflow selected is never shown as its plan nor applied.
   */
  private restrictedAsAsked(result: Plan): boolean {
    const recorded = [...(result.options.targets ?? [])].sort();
    const asked = [...new Set(this.inputs.targets)].sort();
    if (recorded.join('\n') === asked.join('\n')) return true;
    this.runner.error(
      `Input "target" asks for ${asked.length === 0 ? 'no selection' : asked.join(', ')}, but the plan covers ${recorded.length === 0 ? 'every resource' : recorded.join(', ')}; the step stops without showing or applying it.`,
    );
    return false;
  }

  /** The planning choices the step's inputs make, for plan, apply and drift alike. */
  private planning(): { allowDelete: boolean; maxAclDeletes?: number; targets?: string[] } {
    return {
      allowDelete: this.inputs.allowDelete,
      ...(this.inputs.maxAclDeletes === undefined ? {} : { maxAclDeletes: this.inputs.maxAclDeletes }),
      ...(this.inputs.targets.length === 0 ? {} : { targets: this.inputs.targets }),
    };
  }

  /**
   * The command options every run shares. Re-running a job with debug logging (`RUNNER_DEBUG=1`)
   * turns on the commands' `--debug` detail, which never includes secrets.
   */
  private options<T extends object>(extra: T): T & { paths: string[]; cluster?: string; debug: boolean } {
    return {
      paths: this.inputs.paths,
      ...(this.inputs.cluster === '' ? {} : { cluster: this.inputs.cluster }),
      debug: this.env['RUNNER_DEBUG'] === '1',
      ...extra,
    };
  }

  /**
   * Runs a command function with its output captured (and echoed to the log, secrets removed).
   * When `planFile` is given, the plan the command saved there is read back.
   */
  private async command(fn: (io: Io) => Promise<number>, planFile?: string): Promise<CommandRun> {
    if (planFile !== undefined) rmSync(planFile, { force: true });
    let log = '';
    const record = (text: string, to: (t: string) => void): void => {
      const clean = this.runner.redact(text);
      log += clean;
      to(clean);
    };
    const io: Io = {
      stdout: (text) => record(text, this.streams.stdout),
      stderr: (text) => record(text, this.streams.stderr),
      env: this.env,
      isTTY: false,
      // The log becomes annotations, the summary and comments: never coloured, whatever FORCE_COLOR says.
      noColor: true,
      prompt: () => Promise.reject(new ConfigError('The action cannot answer a prompt.')),
      cwd: this.inputs.workingDirectory,
    };
    const code = await fn(io);
    if (planFile === undefined || !existsSync(planFile)) return { code, log };
    return { code, log, plan: JSON.parse(readFileSync(planFile, 'utf8')) as Plan };
  }

  /**
   * Fails the step: one `::error::` naming what failed with the command's own sentences. With
   * `showLog` (nothing about the failure is in the summary yet), the command's log goes to the
   * summary and, for plan, replaces the pull-request comment so it never shows a stale plan.
   */
  private async failed(run: CommandRun, what: string, showLog: boolean): Promise<number> {
    const sentences = run.log
      .split('\n')
      .filter((l) => l.startsWith('error: '))
      .map((l) => l.slice('error: '.length));
    const detail = sentences.map((t) => `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`).join(' ');
    this.runner.error(`kafkaform ${this.inputs.command} failed: ${what}.${detail === '' ? '' : ` ${detail}`}`);
    if (showLog) {
      const markdown = `### ${this.heading} failed: ${what}\n\n${fence(run.log.trimEnd())}\n`;
      this.runner.appendSummary(markdown);
      await this.comment(markdown);
    }
    return 1;
  }

  private setOutputs(result: Plan, planFile: string): void {
    this.runner.setOutput('has-changes', String(result.actions.length > 0));
    this.runner.setOutput('create', String(result.summary.create));
    this.runner.setOutput('update', String(result.summary.update));
    this.runner.setOutput('delete', String(result.summary.delete));
    this.runner.setOutput('plan-json', planFile);
  }

  /** Where the JSON plan of this step goes: the runner's temp directory, one file per command and cluster. */
  private planFile(): string {
    const dir = join(this.context.tempDir, 'kafkaform');
    mkdirSync(dir, { recursive: true });
    const cluster = (this.inputs.cluster || this.env['KAFKAFORM_CLUSTER'] || 'default').replace(/[^A-Za-z0-9._-]/g, '_');
    return join(dir, `${this.inputs.command}-${cluster}.json`);
  }

  /**
   * Keeps the one plan (or apply result) comment of this cluster up to date, when asked to: on the
   * run's pull request, or for an apply on a push, on the pull requests the commit came from.
   */
  private async comment(markdown: string, kind: 'plan' | 'apply' = 'plan'): Promise<void> {
    const pr = this.context.pullRequest;
    if (this.inputs.command !== kind || !this.inputs.comment) return;
    const what = kind === 'plan' ? 'the plan' : 'the apply result';
    if (!pr && kind === 'plan') {
      this.runner.notice('comment: true has no effect outside pull requests; the plan is in the job summary.');
      return;
    }
    if (pr?.fromFork) {
      this.runner.notice(`Pull request from a fork: its token cannot comment, so ${what} is in the job summary only.`);
      return;
    }
    if (this.inputs.githubToken === '') {
      throw new ConfigError(`Input "github-token" is empty; it is needed to post ${what} as a comment.`);
    }
    const client = new GitHubClient({
      apiUrl: this.context.apiUrl,
      token: this.inputs.githubToken,
      repository: this.context.repository,
      userAgent: USER_AGENT,
    });
    try {
      const numbers = pr ? [pr.number] : await client.pullRequestsOfCommit(this.context.sha);
      if (numbers.length === 0) {
        this.runner.notice(`Commit ${this.context.sha.slice(0, 7)} belongs to no pull request; ${what} is in the job summary only.`);
        return;
      }
      // The marker's name must not depend on how far the run got, or a failed run would add a second comment.
      const cluster = this.inputs.cluster || this.env['KAFKAFORM_CLUSTER'] || 'default';
      const sha = (pr?.headSha || this.context.sha).slice(0, 7);
      const run = `${this.context.serverUrl}/${this.context.repository}/actions/runs/${this.context.runId}`;
      const footer = `<sub>kafkaform ${kind} of commit ${sha} · [workflow run](${run})</sub>`;
      const body = this.runner.redact(commentBody({ cluster, kind, markdown, footer }));
      for (const number of numbers) {
        const result = await client.upsertComment(number, commentMarker(cluster, kind), body);
        this.streams.stdout(`${kind === 'plan' ? 'Plan' : 'Apply result'} comment ${result.action}: ${result.comment.htmlUrl}\n`);
      }
    } finally {
      await client.close();
    }
  }

  /** A path as annotations want it: relative to the repository root, with `/`. */
  private repoPath(file: string): string {
    const root = this.env['GITHUB_WORKSPACE'] || this.inputs.workingDirectory;
    const rel = relative(root, resolve(this.inputs.workingDirectory, file));
    return rel.startsWith('..') ? file : rel.split(sep).join('/');
  }
}
