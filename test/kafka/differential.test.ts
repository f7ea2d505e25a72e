// kafkaform's validation against a real Kafka broker, value by value. A corpus of edge values for
// every topic config of the broker's version (bounds and one past them, -1, 0, empty, wrong types,
// every enum value in other letter cases, lists with spaces, units, Java number syntax, removed and
// broker-level names) goes through `loadManifests` (one topic per case, a cluster declaring the
// broker's kafkaVersion) and, as a validate_only CreateTopics, to the broker. They must agree on
// every case but the documented kinds of disagreement below.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, createTopicsV7 } from '@platformatic/kafka';
import { isKafkaVersion, kafkaCatalog, type KafkaConfigDefinition, type KafkaVersion } from '../../src/kafka/catalog.js';
import { normalizeConfigValue } from '../../src/kafka/configs.js';
import { ManifestError } from '../../src/errors.js';
import { loadManifests } from '../../src/manifest/index.js';
import { brokerSkip, requireBrokers, singleClientOptions } from '../support/broker.js';

/** One value of one key. */
interface Case {
  key: string;
  value: string;
}

const INT_MAX = 2n ** 31n - 1n;
const LONG_MAX = 2n ** 63n - 1n;

/** The edge values of one definition, as strings (what a broker receives). */
function valuesFor(def: KafkaConfigDefinition): string[] {
  const out = ['', ' ', 'true', 'abc', '-1', '0', '1', '2', '-2', '100', 'null', '1,2', '[1]', '-'];
  const range = def.validator?.kind === 'range' ? def.validator : undefined;
  switch (def.type) {
    case 'int':
    case 'long': {
      const top = def.type === 'int' ? INT_MAX : LONG_MAX;
      out.push(String(top), String(top + 1n), String(-top - 1n), String(-top - 2n), '+5', ' 7 ', '-0', '007', '1.5', '1e3', '0x10', '5 ', '\t5');
      if (range?.min != null) out.push(range.min, String(BigInt(range.min) - 1n), String(BigInt(range.min) + 1n));
      if (range?.max != null) out.push(range.max, String(BigInt(range.max) + 1n), String(BigInt(range.max) - 1n));
      for (const a of range?.also ?? []) out.push(a, String(BigInt(a) - 1n));
      if (def.name.endsWith('.ms')) out.push('1d', '36h', '1.5h', '500ms', '1w', '7x', '1 d');
      if (def.name.endsWith('.bytes')) out.push('1MiB', '512KiB', '1GiB', '1GB', '10kb', '0.5MiB', '3GiB');
      break;
    }
    case 'double':
      out.push('0.5', '0.50', '1.0', '1.5', '-0.1', '.5', '5.', '1e-1', '1E0', '0.5d', '0.5F', 'NaN', 'Infinity', '-Infinity', '0x1p-1', '1e400', ' 0.25 ');
      break;
    case 'boolean':
      out.push('false', 'TRUE', 'False', ' true ', 'yes', 'on', 'tru');
      break;
    case 'string':
      if (def.validator?.kind === 'enum') {
        for (const v of def.validator.values) out.push(v, v.toUpperCase(), v.toLowerCase(), ` ${v} `, `${v}x`);
      }
      out.push('3.0', '3.0-IV1', '2.8', 'GZIPP');
      break;
    case 'list':
      if (def.validator?.kind === 'list') {
        const vs = def.validator.values;
        for (const v of vs) out.push(v, v.toUpperCase(), ` ${v} `, `${v},${v}`, `${v},`, `,${v}`);
        out.push(vs.join(','), vs.join(', '), [...vs].reverse().join(' , '), vs.join(',,'), `${vs[0]},bogus`, 'Compact,Delete');
      } else {
        out.push('*', ' * ', '0:101', '0:101,1:102', '0:101, 1:102', '*,0:101', '0-101', ',0:101', '0:101,', 'a:b', '*,*', '0:101,0:101', '1:', ':1');
      }
      break;
  }
  return [...new Set(out)];
}

/** Keys a broker of any version refuses as unknown: removed ones, broker-level names, typos. */
const FOREIGN_KEYS = [
  'message.format.version',
  'message.downconversion.enable',
  'message.timestamp.difference.max.ms',
  'log.retention.hours',
  'log.roll.ms',
  'message.max.bytes',
  'retention.msec',
];

function corpus(version: KafkaVersion): Case[] {
  const cases: Case[] = [];
  for (const def of kafkaCatalog(version).configs.values()) {
    for (const value of valuesFor(def)) cases.push({ key: def.name, value });
  }
  for (const key of FOREIGN_KEYS) for (const value of ['1', '3.0', 'true']) cases.push({ key, value });
  return cases;
}

/** What kafkaform says of each case: the problems loadManifests reports on that topic. */
async function kafkaformVerdicts(cases: readonly Case[], version: KafkaVersion): Promise<(string | undefined)[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kafkaform-differential-'));
  try {
    const lines = [
      'apiVersion: kafkaform/v1',
      'clusters:',
      '  broker:',
      '    type: snapshot',
      '    path: broker.json',
      `    kafkaVersion: "${version}"`,
      'topics:',
      ...cases.flatMap((c, i) => [
        `  - name: diff-${i}`,
        '    partitions: 1',
        // min.insync.replicas above the replication factor is kafkaform's own rule; out of the way here.
        '    replicationFactor: 32767',
        `    config: { ${JSON.stringify(c.key)}: ${JSON.stringify(c.value)} }`,
      ]),
    ];
    const file = join(dir, 'corpus.yaml');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const verdicts: (string | undefined)[] = cases.map(() => undefined);
    try {
      await loadManifests([file], { env: {} });
    } catch (e) {
      if (!(e instanceof ManifestError)) throw e;
      for (const p of e.problems) {
        const m = /^\/topics\/(\d+)\//.exec(p.path);
        if (p.severity !== 'error' || !m) continue;
        const i = Number(m[1]);
        // A value an int key refuses only because it is above the replication factor we chose.
        if (p.message.includes('is above its replication factor')) continue;
        verdicts[i] ??= p.message;
      }
    }
    return verdicts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the broker says of each `[key, value]`: undefined when a validate_only create accepts it. */
async function brokerVerdicts(pairs: readonly Case[]): Promise<(string | undefined)[]> {
  const { bootstrapBrokers, sasl } = singleClientOptions('admin');
  const [host, port] = (bootstrapBrokers[0] ?? '').split(':');
  const connection = new Connection('kafkaform-differential', { sasl });
  await connection.connect(host ?? '127.0.0.1', Number(port));
  const out: (string | undefined)[] = [];
  try {
    // Batches well under the controller's 10,000 records per request.
    for (let start = 0; start < pairs.length; start += 500) {
      const batch = pairs.slice(start, start + 500);
      const topics = batch.map((c, i) => ({
        name: `kafkaform-diff-${start + i}`,
        numPartitions: 1,
        replicationFactor: 1,
        assignments: [],
        configs: [{ name: c.key, value: c.value }],
      }));
      let response: createTopicsV7.CreateTopicsResponse;
      try {
        response = await createTopicsV7.api.async(connection, topics, 30_000, true);
      } catch (e) {
        const partial = (e as { response?: createTopicsV7.CreateTopicsResponse }).response;
        if (!partial) throw e;
        response = partial;
      }
      const byName = new Map(response.topics.map((t) => [t.name, t]));
      for (const t of topics) {
        const r = byName.get(t.name);
        assert.ok(r, `no answer for ${t.name}`);
        assert.ok(r.errorCode === 0 || r.errorCode === 40, `${t.name}: unexpected error ${r.errorCode} ${r.errorMessage ?? ''}`);
        out.push(r.errorCode === 0 ? undefined : (r.errorMessage ?? `error ${r.errorCode}`));
      }
    }
  } finally {
    await connection.close();
  }
  return out;
}

/** Documented kinds of disagreement, by name; a case that fits none fails the test. */
function documented(c: Case, ours: string | undefined, theirs: string | undefined, version: KafkaVersion, brokerSaysCanonical: string | undefined): string | undefined {
  if (ours === undefined && theirs !== undefined) {
    // kafkaform accepts a spelling (unit, letter case, duplicate or spaced list item) and sends
    // Kafka's canonical form instead, which the broker accepts.
    const n = normalizeConfigValue(c.key, c.value, [version]);
    if (n.ok && n.value !== c.value && brokerSaysCanonical === undefined) return 'rewritten to the canonical form';
    // The test broker has no tiered storage; kafkaform cannot know whether a cluster has it.
    if (/Tiered Storage functionality is disabled/.test(theirs)) return 'tiered storage disabled on the test broker';
  }
  return undefined;
}

describe('kafkaform and a real Kafka broker agree on every topic config value', { skip: brokerSkip() }, () => {
  let version: KafkaVersion;
  let cases: Case[];
  let ours: (string | undefined)[];
  let theirs: (string | undefined)[];
  let canonicalVerdicts: Map<number, string | undefined>;

  before(async () => {
    const brokers = requireBrokers();
    const minor = brokers.version.split('.').slice(0, 2).join('.');
    assert.ok(isKafkaVersion(minor), `the test broker runs Kafka ${brokers.version}, which has no catalog`);
    version = minor;
    cases = corpus(version);
    ours = await kafkaformVerdicts(cases, version);
    theirs = await brokerVerdicts(cases);
    // Where kafkaform accepts a spelling the broker refuses, the broker judges the canonical form.
    const rewritten = cases
      .map((c, i) => ({ c, i }))
      .filter(({ i }) => ours[i] === undefined && theirs[i] !== undefined)
      .map(({ c, i }) => {
        const n = normalizeConfigValue(c.key, c.value, [version]);
        return { i, c: { key: c.key, value: n.ok ? n.value : c.value } };
      });
    const verdicts = await brokerVerdicts(rewritten.map((r) => r.c));
    canonicalVerdicts = new Map(rewritten.map((r, j) => [r.i, verdicts[j]]));
  });

  it('has at least 1,000 cases covering every key of the broker\'s version', () => {
    assert.ok(cases.length >= 1000, `${cases.length} cases`);
    assert.deepEqual(new Set(cases.map((c) => c.key)).size, kafkaCatalog(version).configs.size + FOREIGN_KEYS.length);
  });

  it('no undocumented disagreement', (t) => {
    const kinds = new Map<string, number>();
    const bad: string[] = [];
    cases.forEach((c, i) => {
      const a = ours[i];
      const b = theirs[i];
      if ((a === undefined) === (b === undefined)) return;
      const kind = documented(c, a, b, version, canonicalVerdicts.get(i));
      if (kind) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      else bad.push(`${c.key}=${JSON.stringify(c.value)}: kafkaform ${a === undefined ? 'accepts' : `refuses (${a})`}, Kafka ${b === undefined ? 'accepts' : `refuses (${b})`}`);
    });
    const summary = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ');
    t.diagnostic(`differential: ${cases.length} cases against Kafka ${version}; documented disagreements: ${summary || 'none'}; undocumented: ${bad.length}`);
    assert.deepEqual(bad, []);
  });
});
