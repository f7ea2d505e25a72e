/**
 * fast-check arbitraries for the convergence properties: model clusters (see model-executor.ts),
 * desired states related to them (so plans create, grow, alter, reset and delete), planner options,
 * and hostile strings for the renderers.
 *
 * Small, colliding domains on purpose: names, keys, values and bindings are drawn from short pools
 * so that desired and live overlap often and every planner branch is reached in a few hundred cases.
 */
import fc from 'fast-check';
import type { AclBinding, DesiredAcl, DesiredState, DesiredTopic, SourceLocation, TargetCapabilities } from '../../src/model.js';
import { ACL_OPERATIONS, PATTERN_TYPES, RESOURCE_TYPES } from '../../src/model.js';
import { normalizeConfigValue, type ConfigInput } from '../../src/kafka/configs.js';
import type { PlanOptions } from '../../src/plan/index.js';
import type { ModelCluster, ModelTopic, Observation } from './model-executor.js';

const SOURCE: SourceLocation = { file: 'property.yaml', line: 1, column: 1, path: '' };

/**
 * One value a config can mean, with the spellings a manifest may use for it (units, numbers,
 * booleans, lists in any order and case) and the spellings a server may report it in.
 */
interface ConfigMeaning {
  written: ConfigInput[];
  reported: string[];
}

/** Config keys with a few meanings each; `confluent.*` is a vendor key (managed on Confluent). */
export const CONFIG_MEANINGS: Record<string, ConfigMeaning[]> = {
  'retention.ms': [
    { written: ['7d', '1w', 604800000, '604800000', '168h'], reported: ['604800000'] },
    { written: ['1d', '24h', 86400000, '1440m'], reported: ['86400000'] },
    { written: [-1, '-1'], reported: ['-1'] },
    { written: ['12h', '0.5d'], reported: ['43200000'] },
  ],
  'segment.bytes': [
    { written: ['1GiB', 1073741824, '1024MiB'], reported: ['1073741824'] },
    { written: ['100MiB', '102400KiB'], reported: ['104857600'] },
    { written: ['1.5GiB'], reported: ['1610612736'] },
  ],
  'cleanup.policy': [
    { written: ['delete', 'DELETE', ['delete']], reported: ['delete'] },
    { written: ['compact', 'Compact'], reported: ['compact'] },
    { written: ['compact,delete', ['delete', 'compact'], 'delete, compact', 'DELETE,compact,delete'], reported: ['compact,delete', 'delete,compact'] },
  ],
  'min.cleanable.dirty.ratio': [
    { written: [0.5, '0.50', '.5', '5e-1'], reported: ['0.5', '0.50'] },
    { written: [0.1, '0.10'], reported: ['0.1'] },
  ],
  'unclean.leader.election.enable': [
    { written: [true, 'TRUE', 'true', 'True'], reported: ['true', 'TRUE'] },
    { written: [false, 'false'], reported: ['false'] },
  ],
  'compression.type': [
    { written: ['zstd', 'ZSTD'], reported: ['zstd'] },
    { written: ['producer'], reported: ['producer'] },
    { written: ['lz4', 'LZ4'], reported: ['lz4'] },
  ],
  'min.insync.replicas': [
    { written: [1, '1', ' 1 '], reported: ['1'] },
    { written: [2, '2', '+2'], reported: ['2', '02'] },
  ],
  'max.message.bytes': [
    { written: ['1MiB', 1048576], reported: ['1048576'] },
    { written: [1048588, '1048588B'], reported: ['1048588'] },
  ],
  'message.timestamp.type': [
    { written: ['CreateTime', 'createtime'], reported: ['CreateTime'] },
    { written: ['LogAppendTime', 'LOGAPPENDTIME'], reported: ['LogAppendTime'] },
  ],
  'confluent.value.schema.validation': [
    { written: [true, 'true'], reported: ['true'] },
    { written: [false, 'FALSE'], reported: ['false'] },
  ],
  'flush.ms': [
    { written: ['9223372036854775807'], reported: ['9223372036854775807'] },
    { written: ['1s', 1000], reported: ['1000'] },
  ],
};

/** Every key the arbitraries use. */
export const CONFIG_KEYS: readonly string[] = Object.keys(CONFIG_MEANINGS).sort();

/** Topic names: a few prefixes (for scope), internal-looking names, and odd but legal names. */
export const TOPIC_NAMES: readonly string[] = [
  'orders.a',
  'orders.b',
  'orders.c',
  'orders_c',
  'payments.x',
  'payments.y',
  'legacy.z',
  'other',
  '_schemas',
  '__consumer_offsets',
  'orders._tmp',
  'o',
];

/** Scope prefixes; `''` owns every topic. */
export const PREFIXES: readonly string[] = ['orders.', 'payments.', 'leg', ''];

/** Group and transactional id scope prefixes, against the binding pool's resource names. */
export const ID_PREFIXES: readonly string[] = ['orders.', 'bill', 'orders.a', ''];

/** Principals, including a DN with commas and the wildcard principal. */
export const PRINCIPALS: readonly string[] = ['User:alice', 'User:bob', 'User:CN=svc,OU=x', 'Group:ops', 'User:*'];

/** A canonical desired value for a written form; the arbitraries only use forms that are valid. */
export function normalized(key: string, written: ConfigInput): string {
  const r = normalizeConfigValue(key, written);
  if (!r.ok) throw new Error(`arbitrary wrote an invalid value for ${key}: ${r.message}`);
  return r.value;
}

/** An ACL binding from small pools (so desired and live bindings collide often). */
export const aclBinding: fc.Arbitrary<AclBinding> = fc.record({
  principal: fc.constantFrom(...PRINCIPALS),
  host: fc.constantFrom('*', '10.0.0.1'),
  resourceType: fc.constantFrom(...RESOURCE_TYPES),
  resourceName: fc.constantFrom('orders.', 'orders.a', '*', 'billing', 'kafka-cluster'),
  patternType: fc.constantFrom(...PATTERN_TYPES),
  operation: fc.constantFrom(...ACL_OPERATIONS.filter((_, i) => i % 3 === 0), 'READ', 'WRITE', 'DESCRIBE'),
  permission: fc.constantFrom('ALLOW', 'DENY'),
});

const meaningIndex = fc.nat({ max: 3 });

function meaningOf(key: string, i: number): ConfigMeaning {
  const meanings = CONFIG_MEANINGS[key] as ConfigMeaning[];
  return meanings[i % meanings.length] as ConfigMeaning;
}

/** Raw (server-spelled) values for a subset of keys. */
function reportedConfigs(keys: readonly string[]): fc.Arbitrary<Record<string, string>> {
  return fc
    .subarray([...keys])
    .chain((chosen) =>
      fc.tuple(...chosen.map((key) => fc.tuple(fc.constant(key), meaningIndex, fc.nat({ max: 3 })))).map((entries) => {
        const out: Record<string, string> = {};
        for (const [key, m, s] of entries) {
          const reported = meaningOf(key, m).reported;
          out[key] = reported[s % reported.length] as string;
        }
        return out;
      }),
    );
}

const modelTopic = (name: string): fc.Arbitrary<ModelTopic> =>
  fc.record({
    name: fc.constant(name),
    partitions: fc.integer({ min: 1, max: 12 }),
    replicationFactor: fc.integer({ min: 1, max: 4 }),
    // Kafka marks its own topics internal; once in a while a normally named topic is internal too.
    internal: name === '__consumer_offsets' ? fc.constant(true) : fc.nat({ max: 19 }).map((n) => n === 0),
    overrides: reportedConfigs(CONFIG_KEYS),
    readOnly: fc.subarray([...CONFIG_KEYS], { maxLength: 2 }).chain((keys) => fc.nat({ max: 3 }).map((n) => (n === 0 ? keys : []))),
    sensitive: fc.subarray(['confluent.value.schema.validation', 'flush.ms'], { maxLength: 1 }).chain((keys) =>
      fc.nat({ max: 5 }).map((n) => (n === 0 ? keys : [])),
    ),
  });

/** A model cluster: broker defaults for most keys, a subset of the topic pool, ACLs. */
export const modelCluster: fc.Arbitrary<ModelCluster> = fc
  .record({
    names: fc.subarray([...TOPIC_NAMES]),
    defaults: reportedConfigs(CONFIG_KEYS.filter((k) => !k.startsWith('confluent.'))),
    acls: fc.uniqueArray(aclBinding, { maxLength: 8, selector: (a) => JSON.stringify(a) }),
    principals: fc.option(fc.subarray([...PRINCIPALS]), { nil: undefined }),
  })
  .chain(({ names, defaults, acls, principals }) =>
    fc.tuple(...names.map(modelTopic)).map(
      (topics): ModelCluster => ({
        clusterId: 'model-cluster',
        defaults,
        topics,
        acls,
        ...(principals !== undefined ? { principals } : {}),
      }),
    ),
  );

/** How the cluster is reported (every key or only overrides; with or without inherited values). */
export const observation: fc.Arbitrary<Observation> = fc.record({
  keys: fc.constantFrom('all' as const, 'overrides' as const),
  inheritedValues: fc.boolean(),
});

/** Target capabilities, each combination possible. */
export const capabilities: fc.Arbitrary<TargetCapabilities> = fc.record({
  dryRun: fc.boolean(),
  replicationFactorChange: fc.boolean(),
  principalsMustExist: fc.boolean(),
  managedConfigPrefixes: fc.constantFrom([], ['confluent.']),
});

function desiredTopic(cluster: ModelCluster, name: string): fc.Arbitrary<DesiredTopic> {
  const live = cluster.topics.find((t) => t.name === name);
  // Mostly sizes a cluster can reach from where it is, sometimes impossible ones (errors).
  const partitions = live
    ? fc.oneof({ weight: 6, arbitrary: fc.integer({ min: live.partitions, max: live.partitions + 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 12 }) })
    : fc.integer({ min: 1, max: 12 });
  const replicationFactor = live
    ? fc.oneof({ weight: 6, arbitrary: fc.constant(live.replicationFactor) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) })
    : fc.integer({ min: 1, max: 4 });
  const config = fc
    .subarray([...CONFIG_KEYS], { maxLength: 5 })
    .chain((keys) =>
      fc.tuple(...keys.map((key) => fc.tuple(fc.constant(key), meaningIndex, fc.nat({ max: 4 })))).map((entries) => {
        const out: Record<string, string> = {};
        for (const [key, m, s] of entries) {
          const written = meaningOf(key, m).written;
          out[key] = normalized(key, written[s % written.length] as ConfigInput);
        }
        return out;
      }),
    );
  return fc.record({
    name: fc.constant(name),
    partitions,
    replicationFactor,
    config,
    source: fc.constant(SOURCE),
  });
}

/** A desired state related to `cluster`: some of its topics, some new ones, bindings, a scope. */
export function desiredFor(cluster: ModelCluster): fc.Arbitrary<DesiredState> {
  const names = fc
    .subarray([...TOPIC_NAMES])
    // Internal names in a manifest are plan errors; keep them rare so most plans are error-free.
    .chain((ns) => fc.nat({ max: 9 }).map((n) => (n === 0 ? ns : ns.filter((x) => !x.startsWith('_')))));
  return fc
    .record({
      names,
      acls: fc.uniqueArray(aclBinding, { maxLength: 8, selector: (a) => JSON.stringify(a) }),
      reuse: fc.subarray(cluster.acls),
      prefixes: fc.subarray([...PREFIXES], { maxLength: 2 }),
      groupPrefixes: fc.subarray([...ID_PREFIXES], { maxLength: 2 }),
      transactionalIdPrefixes: fc.subarray([...ID_PREFIXES], { maxLength: 2 }),
      ownsCluster: fc.boolean(),
      principals: fc.subarray([...PRINCIPALS], { maxLength: 2 }),
    })
    .chain(({ names: topicNames, acls, reuse, prefixes, groupPrefixes, transactionalIdPrefixes, ownsCluster, principals }) =>
      fc.tuple(...topicNames.map((n) => desiredTopic(cluster, n))).map((topics): DesiredState => {
        const bindings = new Map<string, DesiredAcl>();
        for (const b of [...reuse, ...acls]) bindings.set(JSON.stringify(b), { ...b, source: SOURCE });
        return {
          topics: topics.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
          acls: [...bindings.values()],
          scope: { topicPrefixes: prefixes, groupPrefixes, transactionalIdPrefixes, cluster: ownsCluster, principals },
        };
      }),
    );
}

/** Planner options: capabilities, --allow-delete, a blast-radius limit that sometimes bites. */
export const planOptions: fc.Arbitrary<PlanOptions> = fc.record({
  cluster: fc.constant({ name: 'model', type: 'snapshot' }),
  capabilities,
  allowDelete: fc.boolean(),
  maxAclDeletes: fc.oneof({ weight: 5, arbitrary: fc.constant(50) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) }),
  ignoreConfigPrefixes: fc.constantFrom([], ['confluent.'], ['retention.']),
});

/** One case of the convergence properties. */
export interface World {
  cluster: ModelCluster;
  observation: Observation;
  desired: DesiredState;
  options: PlanOptions;
}

/** A cluster, how it is observed, a desired state related to it, and planner options. */
export const world: fc.Arbitrary<World> = fc
  .tuple(modelCluster, observation, planOptions)
  .chain(([cluster, obs, options]) =>
    desiredFor(cluster).map((desired): World => ({ cluster, observation: obs, desired, options })),
  );

/**
 * Strings a server or a manifest could hand us that a terminal might interpret: C0/C1 controls,
 * ESC sequences, DEL, bidi overrides, line separators, lone surrogates, markdown/HTML syntax.
 */
export const hostileString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\u001b[31m',
        '\u001b]0;pwned\u0007',
        '\u001b[2J',
        '\u009b31m',
        '\r',
        '\n',
        '\t',
        '\u0000',
        '\u0007',
        '\u007f',
        '\u202e',
        '\u2066',
        '\u2028',
        '\ufeff',
        '\ud800',
        '\udc00',
        '`',
        '|',
        '<script>',
        '@here',
        '**',
        '</details>',
        '"',
        '\\',
      ),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.string({ maxLength: 6 }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''));
