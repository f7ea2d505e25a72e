// Output conventions through the real binary: -o selects the format and --out the file, the old
// spelling still works with one deprecation line, validate's JSON and SARIF reports, colour by
// --no-color / NO_COLOR / FORCE_COLOR / TERM=dumb / the terminal, and help and usage errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { copyExample, HAS_PTY, kafkaform, kafkaformAtTerminal, read, ROOT, scratch } from './helpers.js';

const ESC = '\u001b';
const noPty = HAS_PTY ? false : 'python3 with its pty module is not installed: no pseudo-terminal to test with';
const QUICKSTART = 'examples/quickstart';

/** The deprecation line for `old`, telling to write `now`. */
function deprecated(old: string, now: string): string {
  return `warning: "${old}" is deprecated and stops working in the next release; write "${now}"\n`;
}

describe('-o selects the format, --out the file', { concurrency: true }, () => {
  it('-o and --output pick the format; --out - is stdout; nothing on stderr', async () => {
    const json = await kafkaform(['plan', QUICKSTART, '-o', 'json'], { cwd: ROOT });
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stderr, '');
    assert.equal((JSON.parse(json.stdout) as { formatVersion: number }).formatVersion, 2);
    const long = await kafkaform(['plan', QUICKSTART, '--output', 'json', '--out', '-'], { cwd: ROOT });
    assert.equal(long.stderr, '');
    assert.equal(long.stdout, json.stdout);
    const drift = await kafkaform(['drift', QUICKSTART, '-o', 'markdown'], { cwd: ROOT });
    assert.equal(drift.code, 2, drift.stderr);
    assert.match(drift.stdout, /^### Drift detected on cluster local\n/);
  });

  it('a file written with --out is never coloured, even with FORCE_COLOR; stdout is', async () => {
    const dir = scratch();
    const r = await kafkaform(['plan', join(ROOT, QUICKSTART), '--out', 'plan.txt'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Plan written to plan.txt.\n');
    assert.ok(!read(join(dir, 'plan.txt')).includes(ESC));
    assert.match(read(join(dir, 'plan.txt')), /^Plan for cluster local \(snapshot\)/);
    const shown = await kafkaform(['plan', join(ROOT, QUICKSTART)], { cwd: dir, env: { FORCE_COLOR: '1' } });
    assert.ok(shown.stdout.includes(`${ESC}[`));
  });

  it('export writes a manifest unless -o snapshot says otherwise', async () => {
    const manifest = await kafkaform(['export', QUICKSTART], { cwd: ROOT });
    assert.equal(manifest.code, 0, manifest.stderr);
    assert.match(manifest.stdout, /^# Exported by kafkaform from cluster local \(snapshot\)\.\n/m);
    assert.match(manifest.stdout, /^apiVersion: kafkaform\/v1$/m);
    const snapshot = await kafkaform(['export', QUICKSTART, '-o', 'snapshot'], { cwd: ROOT });
    assert.equal(snapshot.code, 0, snapshot.stderr);
    assert.equal((JSON.parse(snapshot.stdout) as { formatVersion: number }).formatVersion, 1);
  });

  it('a mistyped format is an error, not a file; so is a format given twice', async () => {
    const dir = scratch();
    const typo = await kafkaform(['plan', join(ROOT, QUICKSTART), '-o', 'jsno'], { cwd: dir });
    assert.equal(typo.code, 1);
    assert.equal(
      typo.stderr,
      "error: option '-o, --output <format>' argument 'jsno' is invalid: allowed choices are text, json, markdown (files are written with --out FILE); see kafkaform plan --help\n",
    );
    const twice = await kafkaform(['plan', join(ROOT, QUICKSTART), '--format', 'json', '-o', 'json'], { cwd: dir });
    assert.equal(twice.code, 1);
    assert.equal(twice.stderr, 'error: --format is the old spelling of -o; give only -o json; see kafkaform plan --help\n');
    const sarif = await kafkaform(['validate', join(ROOT, QUICKSTART), '-o', 'report.sarif'], { cwd: dir });
    assert.equal(sarif.code, 1, 'validate never had -o FILE');
    assert.match(sarif.stderr, /argument 'report\.sarif' is invalid: allowed choices are text, json, sarif/);
    assert.equal(typo.stdout + twice.stdout + sarif.stdout, '');
  });
});

describe('the old spelling, for one release', { concurrency: true }, () => {
  it('--format and -o FILE still work, with one line saying what to write instead', async () => {
    const dir = copyExample('quickstart');
    const now = await kafkaform(['plan', '-o', 'markdown'], { cwd: dir });
    const old = await kafkaform(['plan', '--format', 'markdown', '-o', 'plan.md'], { cwd: dir, allowDeprecated: true });
    assert.equal(old.code, 0, old.stderr);
    assert.equal(old.stderr, `${deprecated('--format markdown -o plan.md', '-o markdown --out plan.md')}Plan written to plan.md.\n`);
    assert.equal(read(join(dir, 'plan.md')), now.stdout);
    const short = await kafkaform(['drift', '-f', 'json'], { cwd: dir, allowDeprecated: true });
    assert.equal(short.code, 2);
    assert.equal(short.stderr, deprecated('--format json', '-o json'));
    const file = await kafkaform(['plan', '-o', 'plan.txt'], { cwd: dir, allowDeprecated: true });
    assert.equal(file.stderr, `${deprecated('-o plan.txt', '--out plan.txt')}Plan written to plan.txt.\n`);
    const exported = await kafkaform(['export', '--format', 'snapshot'], { cwd: dir, allowDeprecated: true });
    assert.equal(exported.code, 0);
    assert.equal(exported.stderr, deprecated('--format snapshot', '-o snapshot'));
    assert.equal((JSON.parse(exported.stdout) as { formatVersion: number }).formatVersion, 1);
  });

  it('apply --plan takes plans saved with either spelling', async () => {
    for (const save of [
      ['-o', 'json', '--out', 'plan.json'],
      ['--format', 'json', '-o', 'plan.json'],
    ]) {
      const dir = copyExample('quickstart');
      const saved = await kafkaform(['plan', ...save], { cwd: dir, allowDeprecated: save[0] === '--format' });
      assert.equal(saved.code, 0, saved.stderr);
      const applied = await kafkaform(['apply', '--plan', 'plan.json', '--auto-approve', '--quiet'], { cwd: dir });
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(applied.stdout, /Apply complete: 5 created, 2 updated, 1 deleted\.\n$/);
    }
  });
});

/** Checks `report` against schemas/validation.schema.json. */
function assertValidationSchema(report: unknown): void {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'validation.schema.json'), 'utf8')) as Record<string, unknown>;
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  assert.ok(validate(report), JSON.stringify(validate.errors));
}

/** Manifests with two errors and a warning in two files, one in a folder whose name has a space. */
function invalidManifests(): string {
  const dir = scratch();
  writeFileSync(join(dir, 'clusters.yaml'), 'apiVersion: kafkaform/v1\nclusters:\n  local: { type: snapshot, path: ./live.json }\n');
  mkdirSync(join(dir, 'team a'));
  writeFileSync(
    join(dir, 'team a', 'topics.yaml'),
    [
      'apiVersion: kafkaform/v1',
      'topics:',
      '  - name: metrics.events',
      '    partitions: 3',
      '    replicationFactor: 3',
      '  - name: metrics_events',
      '    partitions: 3',
      '    replicationFactor: 3',
      '  - name: orders',
      '    partitions: 0',
      '    replicationFactor: 3',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'acls.yaml'),
    'apiVersion: kafkaform/v1\nacls:\n  - principal: billing\n    resourceType: TOPIC\n    resourceName: orders\n    operations: [READ]\n',
  );
  return dir;
}

const PROBLEMS_ON_STDERR = [
  'acls.yaml:3:16: principal "billing" must be written as Type:name, e.g. User:billing (/acls/0/principal)',
  'team a/topics.yaml:6:11: warning: topic "metrics_events" collides with "metrics.events" (line 3:11): Kafka treats "." and "_" alike in metric names (/topics/1/name)',
  'team a/topics.yaml:10:17: "partitions" must be at least 1 (/topics/2/partitions)',
  'error: 2 problems in the manifests',
  '',
].join('\n');

describe('validate -o json', { concurrency: true }, () => {
  it('lists every problem sorted by file, line and column; stderr is as without -o; exit 1', async () => {
    const dir = invalidManifests();
    const r = await kafkaform(['validate', '-o', 'json'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, PROBLEMS_ON_STDERR);
    assert.equal((await kafkaform(['validate'], { cwd: dir })).stderr, PROBLEMS_ON_STDERR);
    assertValidationSchema(JSON.parse(r.stdout));
    assert.deepEqual(JSON.parse(r.stdout), {
      formatVersion: 1,
      valid: false,
      summary: { errors: 2, warnings: 1 },
      clusters: [],
      problems: [
        {
          severity: 'error',
          file: 'acls.yaml',
          line: 3,
          column: 16,
          path: '/acls/0/principal',
          message: 'principal "billing" must be written as Type:name, e.g. User:billing',
        },
        {
          severity: 'warning',
          file: 'team a/topics.yaml',
          line: 6,
          column: 11,
          path: '/topics/1/name',
          message: 'topic "metrics_events" collides with "metrics.events" (line 3:11): Kafka treats "." and "_" alike in metric names',
        },
        { severity: 'error', file: 'team a/topics.yaml', line: 10, column: 17, path: '/topics/2/partitions', message: '"partitions" must be at least 1' },
      ],
    });
  });

  it('reports valid manifests with their clusters and warnings; exit 0', async () => {
    const dir = copyExample('quickstart');
    writeFileSync(
      join(dir, 'more.yaml'),
      'apiVersion: kafkaform/v1\ntopics:\n  - name: metrics.events\n    partitions: 1\n    replicationFactor: 3\n  - name: metrics_events\n    partitions: 1\n    replicationFactor: 3\n',
    );
    const r = await kafkaform(['validate', '-o', 'json', '--out', 'report.json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^more\.yaml:6:11: warning: topic "metrics_events" collides/);
    assert.match(r.stderr, /\nValidation report written to report\.json\.\n$/);
    const report = JSON.parse(read(join(dir, 'report.json'))) as Record<string, unknown>;
    assertValidationSchema(report);
    assert.equal(report['valid'], true);
    assert.deepEqual(report['summary'], { errors: 0, warnings: 1 });
    assert.deepEqual(report['clusters'], [{ name: 'local', type: 'snapshot', topics: 6, acls: 9 }]);
  });
});

/** A SARIF log as far as these tests read it. */
interface Sarif {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
        };
      }[];
    }[];
  }[];
}

describe('validate -o sarif', { concurrency: true }, () => {
  it('one result per problem, located relative to %SRCROOT%, with the fields GitHub code scanning requires', async () => {
    const dir = invalidManifests();
    const r = await kafkaform(['validate', '-o', 'sarif', '--out', 'kafkaform.sarif'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Validation report written to kafkaform.sarif.\n${PROBLEMS_ON_STDERR}`);
    const log = JSON.parse(read(join(dir, 'kafkaform.sarif'))) as Sarif;
    // The properties GitHub's "SARIF support for code scanning" marks as required (partialFingerprints
    // aside, which its upload-sarif action computes from the files).
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const [run] = log.runs;
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(run!.tool.driver.name, 'kafkaform');
    assert.equal(run!.tool.driver.version, pkg.version);
    const rules = run!.tool.driver.rules;
    for (const rule of rules) {
      assert.ok(rule.id !== '' && rule.shortDescription.text !== '' && rule.fullDescription.text !== '' && rule.help.text !== '', rule.id);
    }
    assert.equal(new Set(rules.map((rule) => rule.id)).size, rules.length, 'rule ids are unique');
    assert.deepEqual(
      run!.results.map((result) => ({
        rule: result.ruleId,
        level: result.level,
        text: result.message.text,
        location: result.locations[0]!.physicalLocation,
      })),
      [
        {
          rule: 'acls',
          level: 'error',
          text: 'principal "billing" must be written as Type:name, e.g. User:billing (/acls/0/principal)',
          location: { artifactLocation: { uri: 'acls.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 16, endLine: 3, endColumn: 17 } },
        },
        {
          rule: 'topics',
          level: 'warning',
          text: 'topic "metrics_events" collides with "metrics.events" (line 3:11): Kafka treats "." and "_" alike in metric names (/topics/1/name)',
          location: {
            artifactLocation: { uri: 'team%20a/topics.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 6, startColumn: 11, endLine: 6, endColumn: 12 },
          },
        },
        {
          rule: 'topics',
          level: 'error',
          text: '"partitions" must be at least 1 (/topics/2/partitions)',
          location: {
            artifactLocation: { uri: 'team%20a/topics.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 10, startColumn: 17, endLine: 10, endColumn: 18 },
          },
        },
      ],
    );
    for (const result of run!.results) assert.equal(rules[result.ruleIndex]!.id, result.ruleId);
  });

  it('lists the same rules whatever it finds, and no result for valid manifests', async () => {
    const invalid = JSON.parse((await kafkaform(['validate', '-o', 'sarif'], { cwd: invalidManifests() })).stdout) as Sarif;
    const valid = await kafkaform(['validate', QUICKSTART, '-o', 'sarif'], { cwd: ROOT });
    assert.equal(valid.code, 0, valid.stderr);
    const log = JSON.parse(valid.stdout) as Sarif;
    assert.deepEqual(log.runs[0]!.results, []);
    assert.deepEqual(log.runs[0]!.tool, invalid.runs[0]!.tool);
  });

  it('names a file outside the working directory by its absolute file: URI', async () => {
    const dir = invalidManifests();
    const elsewhere = scratch();
    const log = JSON.parse((await kafkaform(['validate', dir, '-o', 'sarif'], { cwd: elsewhere })).stdout) as Sarif;
    const uri = log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
    assert.deepEqual(uri, { uri: new URL(`file://${join(dir, 'acls.yaml')}`).href });
  });
});

describe('colour', { concurrency: true }, () => {
  // A pipe is not a terminal: only FORCE_COLOR colours it, and the rules above it win.
  const cases: { env: Record<string, string>; args?: string[]; color: boolean }[] = [
    { env: {}, color: false },
    { env: { FORCE_COLOR: '1' }, color: true },
    { env: { FORCE_COLOR: '' }, color: false },
    { env: { FORCE_COLOR: '0' }, color: false },
    { env: { FORCE_COLOR: 'false' }, color: false },
    { env: { FORCE_COLOR: '1', TERM: 'dumb' }, color: true },
    { env: { FORCE_COLOR: '1', NO_COLOR: '1' }, color: false },
    { env: { FORCE_COLOR: '1', NO_COLOR: '' }, color: true },
    { env: { FORCE_COLOR: '1' }, args: ['--no-color'], color: false },
  ];
  for (const { env, args = [], color } of cases) {
    it(`${JSON.stringify(env)} ${args.join(' ')}: ${color ? 'colour' : 'none'} on stdout and stderr`, async () => {
      const plan = await kafkaform(['plan', QUICKSTART, ...args], { cwd: ROOT, env });
      assert.equal(plan.stdout.includes(ESC), color);
      const wrong = await kafkaform(['plan', QUICKSTART, '--bogus', ...args], { cwd: ROOT, env });
      assert.equal(wrong.stderr.includes(ESC), color);
    });
  }
});

describe('colour at a terminal', { skip: noPty }, () => {
  it('colours a terminal, unless TERM=dumb, NO_COLOR or --no-color says otherwise', async () => {
    const shown = await kafkaformAtTerminal(['plan', QUICKSTART], { cwd: ROOT }).done;
    assert.equal(shown.code, 0, shown.screen);
    assert.ok(shown.screen.includes(`${ESC}[`), shown.screen);
    for (const [env, args] of [
      [{ TERM: 'dumb' }, []],
      [{ NO_COLOR: '1' }, []],
      [{}, ['--no-color']],
    ] as const) {
      const plain = await kafkaformAtTerminal(['plan', QUICKSTART, ...args], { cwd: ROOT, env }).done;
      assert.equal(plain.code, 0, plain.screen);
      assert.ok(!plain.screen.includes(ESC), JSON.stringify([env, args]));
    }
  });

  it('decides for each stream: errors coloured on the terminal while stdout goes down a pipe', async () => {
    const piped = await kafkaformAtTerminal(['plan', QUICKSTART], { cwd: ROOT, pipeStdout: true }).done;
    assert.equal(piped.code, 0);
    assert.match(piped.stdout, /^Plan for cluster local/);
    assert.ok(!piped.stdout.includes(ESC), 'the pipe is not coloured');
    const failed = await kafkaformAtTerminal(['plan', QUICKSTART, '--bogus'], { cwd: ROOT, pipeStdout: true }).done;
    assert.equal(failed.code, 1);
    assert.ok(failed.screen.includes(`${ESC}[31m${ESC}[1merror${ESC}[0m: unknown option '--bogus'`), failed.screen);
  });
});

describe('help and usage errors', { concurrency: true }, () => {
  it('help, help plan and plan --help print on stdout and exit 0', async () => {
    const help = await kafkaform(['help'], { cwd: ROOT });
    assert.equal(help.code, 0);
    assert.equal(help.stderr, '');
    assert.match(help.stdout, /^Usage: kafkaform \[options\] \[command\]/);
    const helpPlan = await kafkaform(['help', 'plan'], { cwd: ROOT });
    const planHelp = await kafkaform(['plan', '--help'], { cwd: ROOT });
    assert.equal(helpPlan.code, 0);
    assert.equal(planHelp.code, 0);
    assert.equal(helpPlan.stdout, planHelp.stdout);
    assert.match(planHelp.stdout, /^ {2}-o, --output <format> +output format: text, json, markdown \(default: "text"\)$/m);
    assert.match(planHelp.stdout, /^ {2}--no-color +never colour/m);
    assert.doesNotMatch(planHelp.stdout, /--format/, 'the old spelling is not advertised');
  });

  it('an unknown command is named, with the closest one; bare kafkaform shows the help as an error', async () => {
    const typo = await kafkaform(['plna'], { cwd: ROOT });
    assert.equal(typo.code, 1);
    assert.equal(typo.stderr, "error: unknown command 'plna' (did you mean plan?); see kafkaform --help\n");
    const helpTypo = await kafkaform(['help', 'valdate'], { cwd: ROOT });
    assert.equal(helpTypo.code, 1);
    assert.equal(helpTypo.stderr, "error: unknown command 'valdate' (did you mean validate?); see kafkaform --help\n");
    const bare = await kafkaform([], { cwd: ROOT });
    assert.equal(bare.code, 1);
    assert.match(bare.stderr, /^Usage: kafkaform/);
  });

  it("a mistake in a command's options is one sentence pointing at that command's help", async () => {
    const cases: [string[], string][] = [
      [['plan', '--bogus'], "unknown option '--bogus'; see kafkaform plan --help"],
      [['drift', '--alow-delete'], "unknown option '--alow-delete' (did you mean --allow-delete?); see kafkaform drift --help"],
      [['apply', '--concurrency', '0'], "option '--concurrency <n>' argument '0' is invalid: must be a whole number of at least 1; see kafkaform apply --help"],
      [['apply', '--timeout', '5'], "option '--timeout <duration>' argument '5' is invalid: must be a duration with a unit, such as 90s, 10m or 1h; see kafkaform apply --help"],
      [['export', '--cluster'], "option '-c, --cluster <name>' argument missing; see kafkaform export --help"],
      [['export', '--format', 'yaml'], "option '-f, --format <format>' argument 'yaml' is invalid: allowed choices are manifest, snapshot; see kafkaform export --help"],
      [['validate', '-o', 'xml'], "option '-o, --output <format>' argument 'xml' is invalid: allowed choices are text, json, sarif (files are written with --out FILE); see kafkaform validate --help"],
    ];
    for (const [args, sentence] of cases) {
      const r = await kafkaform(args, { cwd: ROOT });
      assert.equal(r.code, 1, args.join(' '));
      assert.equal(r.stderr, `error: ${sentence}\n`);
      assert.doesNotMatch(r.stderr, /\.\.|\.;|;\.|\n./, 'one line, no doubled punctuation');
    }
  });
});
