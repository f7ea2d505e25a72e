import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  TOPIC_CONFIGS,
  canonicalConfigValue,
  humanizeConfigValue,
  isVendorConfigKey,
  normalizeConfigValue,
  suggestConfigName,
  type ConfigInput,
} from '../../src/kafka/configs.js';
import type { KafkaVersion } from '../../src/kafka/catalog.js';

function ok(key: string, value: ConfigInput, versions?: readonly KafkaVersion[]): string {
  const r = normalizeConfigValue(key, value, versions);
  assert.ok(r.ok, `expected ${key}=${JSON.stringify(value)} to normalise, got ${r.ok ? '' : r.message}`);
  return r.value;
}
function bad(key: string, value: ConfigInput, versions?: readonly KafkaVersion[]): string {
  const r = normalizeConfigValue(key, value, versions);
  assert.ok(!r.ok, `expected ${key}=${JSON.stringify(value)} to be rejected, got ${r.ok ? r.value : ''}`);
  return r.message;
}

describe('duration units on *.ms', () => {
  const table: [ConfigInput, string][] = [
    ['500ms', '500'],
    ['30s', '30000'],
    ['15m', '900000'],
    ['12h', '43200000'],
    ['7d', '604800000'],
    ['1w', '604800000'],
    ['1.5h', '5400000'],
    ['2 d', '172800000'],
    ['-1', '-1'],
    [-1, '-1'],
    [86400000, '86400000'],
    ['86400000', '86400000'],
    ['0086400000', '86400000'],
    ['9223372036854775807', '9223372036854775807'],
  ];
  for (const [input, want] of table) {
    it(`retention.ms ${JSON.stringify(input)} -> ${want}`, () => assert.equal(ok('retention.ms', input), want));
  }
  it('rejects unknown units, fractions of a millisecond and values below the minimum', () => {
    assert.equal(
      bad('retention.ms', '7x'),
      'retention.ms: "7x" expected a number of milliseconds, -1, or a duration such as 500ms, 30s, 15m, 12h, 7d, 1w',
    );
    assert.equal(bad('retention.ms', '1.5ms'), 'retention.ms: "1.5ms" is not a whole number of milliseconds');
    assert.equal(bad('retention.ms', -2), 'retention.ms: -2 must be at least -1');
    assert.equal(bad('segment.ms', 0), 'segment.ms: 0 must be at least 1');
    assert.equal(bad('retention.ms', true), 'retention.ms: true is a boolean, expected a number');
    assert.equal(bad('retention.ms', '9223372036854775808'), 'retention.ms: "9223372036854775808" is out of range for a Kafka long');
  });
});

describe('size units on *.bytes', () => {
  const table: [ConfigInput, string][] = [
    ['512KiB', '524288'],
    ['100MiB', '104857600'],
    ['1GiB', '1073741824'],
    ['1TiB', '1099511627776'],
    ['0.5GiB', '536870912'],
    ['2048B', '2048'],
    [-1, '-1'],
    ['-1', '-1'],
  ];
  for (const [input, want] of table) {
    it(`retention.bytes ${JSON.stringify(input)} -> ${want}`, () => assert.equal(ok('retention.bytes', input), want));
  }
  it('rejects decimal-looking units as ambiguous, naming the binary unit', () => {
    assert.equal(
      bad('retention.bytes', '1GB'),
      'retention.bytes: "1GB" unit "GB" is ambiguous or misspelt; write GiB (powers of 1024) or a plain number of bytes',
    );
    assert.match(bad('retention.bytes', '10kb'), /write KiB/);
  });
  it('checks int ranges and minimums', () => {
    assert.equal(bad('segment.bytes', '512KiB', ['4.1']), 'segment.bytes: "512KiB" must be at least 1048576');
    // Kafka 4.0 and older accept it: refused only by the versions that refuse it.
    const any = normalizeConfigValue('segment.bytes', '512KiB');
    assert.ok(any.ok && any.refusedBy);
    assert.deepEqual(any.refusedBy.versions, ['4.1', '4.2', '4.3', '4.4']);
    assert.equal(ok('segment.bytes', '512KiB', ['4.0']), '524288');
    assert.equal(bad('max.message.bytes', '2GiB'), 'max.message.bytes: "2GiB" is out of range for a Kafka int');
    assert.equal(ok('max.message.bytes', '1MiB'), '1048576');
  });
});

describe('enums, booleans, doubles, lists', () => {
  it('normalises enum spelling to Kafka’s', () => {
    assert.equal(ok('compression.type', 'ZSTD'), 'zstd');
    assert.equal(ok('message.timestamp.type', 'logappendtime'), 'LogAppendTime');
    assert.equal(
      bad('compression.type', 'zstandard'),
      'compression.type: "zstandard" is not one of gzip, lz4, producer, snappy, uncompressed, zstd',
    );
    assert.equal(
      bad('compression.type', 'snapy'),
      'compression.type: "snapy" is not one of gzip, lz4, producer, snappy, uncompressed, zstd (did you mean "snappy"?)',
    );
    assert.equal(
      bad('message.timestamp.type', 'CreatTime'),
      'message.timestamp.type: "CreatTime" is not one of CreateTime, LogAppendTime (did you mean "CreateTime"?)',
    );
  });
  it('sorts and deduplicates cleanup.policy', () => {
    assert.equal(ok('cleanup.policy', 'delete,compact'), 'compact,delete');
    assert.equal(ok('cleanup.policy', ['Delete', 'compact', 'delete']), 'compact,delete');
    assert.equal(ok('cleanup.policy', 'compact'), 'compact');
    assert.equal(
      bad('cleanup.policy', 'delete,compactt'),
      'cleanup.policy: "delete,compactt" contains "compactt", expected compact, delete (did you mean "compact"?)',
    );
  });
  it('booleans from booleans or strings, lowercase', () => {
    assert.equal(ok('preallocate', true), 'true');
    assert.equal(ok('unclean.leader.election.enable', 'FALSE'), 'false');
    assert.equal(bad('preallocate', 1), 'preallocate: 1 expected true or false');
    assert.equal(bad('preallocate', 'yes'), 'preallocate: "yes" expected true or false');
  });
  it('doubles print like JavaScript numbers and are range-checked', () => {
    assert.equal(ok('min.cleanable.dirty.ratio', 0.5), '0.5');
    assert.equal(ok('min.cleanable.dirty.ratio', '0.50'), '0.5');
    assert.equal(ok('min.cleanable.dirty.ratio', '1.0'), '1');
    assert.equal(bad('min.cleanable.dirty.ratio', 1.5), 'min.cleanable.dirty.ratio: 1.5 must be between 0 and 1');
  });
  it('gzip level accepts its -1 sentinel', () => {
    assert.equal(ok('compression.gzip.level', -1), '-1');
    assert.equal(bad('compression.gzip.level', 0), 'compression.gzip.level: 0 must be between 1 and 9 or -1');
  });
  it('rejects a list where a single value is expected', () => {
    assert.equal(bad('retention.ms', ['1d']), 'retention.ms: ["1d"] is a list, but this config takes a single value');
  });
  it('validates throttled replica lists', () => {
    assert.equal(ok('leader.replication.throttled.replicas', '0:101, 1:102'), '0:101,1:102');
    assert.equal(ok('leader.replication.throttled.replicas', '*'), '*');
    assert.match(bad('follower.replication.throttled.replicas', '0-101'), /partition:broker/);
  });
});

describe('vendor and unknown keys', () => {
  it('accepts vendor prefixes and resolves units by suffix', () => {
    assert.ok(isVendorConfigKey('confluent.value.schema.validation'));
    assert.ok(!isVendorConfigKey('mycorp.tier'));
    assert.ok(isVendorConfigKey('mycorp.tier', ['mycorp.']));
    assert.equal(ok('confluent.value.schema.validation', true), 'true');
    assert.equal(ok('confluent.placement.constraints', '{"version":1}'), '{"version":1}');
    assert.equal(ok('confluent.tier.local.hotset.ms', '1h'), '3600000');
    assert.equal(ok('confluent.tier.local.hotset.ms', 3600000), '3600000');
    assert.equal(ok('confluent.segment.bytes', '1GiB'), '1073741824');
  });
  it('suggests close catalog names, and topic names for broker spellings', () => {
    assert.equal(suggestConfigName('retention.msec'), 'retention.ms');
    assert.equal(suggestConfigName('cleanup.polcy'), 'cleanup.policy');
    assert.equal(suggestConfigName('log.retention.bytes'), 'retention.bytes');
    assert.equal(suggestConfigName('something.else.entirely'), undefined);
  });
});

describe('canonicalConfigValue (live values)', () => {
  it('normalises server spellings', () => {
    assert.equal(canonicalConfigValue('cleanup.policy', 'delete,compact'), 'compact,delete');
    assert.equal(canonicalConfigValue('cleanup.policy', 'delete, compact'), 'compact,delete');
    assert.equal(canonicalConfigValue('compression.type', 'ZSTD'), 'zstd');
    assert.equal(canonicalConfigValue('preallocate', 'TRUE'), 'true');
    assert.equal(canonicalConfigValue('min.cleanable.dirty.ratio', '0.50'), '0.5');
    assert.equal(canonicalConfigValue('retention.ms', '0604800000'), '604800000');
    assert.equal(canonicalConfigValue('confluent.key.schema.validation', 'False'), 'false');
    assert.equal(canonicalConfigValue('confluent.x', '007'), '7');
  });
  it('is lenient: values outside our catalog pass through trimmed', () => {
    assert.equal(canonicalConfigValue('segment.bytes', '14'), '14');
    assert.equal(canonicalConfigValue('compression.type', 'brotli'), 'brotli');
    assert.equal(canonicalConfigValue('cleanup.policy', 'delete,weird'), 'delete,weird');
    assert.equal(canonicalConfigValue('message.format.version', ' 2.8-IV1 '), '2.8-IV1');
  });
  it('agrees with normalizeConfigValue on every valid value (no phantom diffs)', () => {
    for (const [key, spec] of TOPIC_CONFIGS) {
      if (spec.default === undefined) continue;
      assert.equal(canonicalConfigValue(key, spec.default), spec.default, `default of ${key} is canonical`);
      const n = normalizeConfigValue(key, spec.default);
      assert.ok(n.ok, `default of ${key} is valid`);
      assert.equal(n.value, spec.default);
    }
    fc.assert(
      fc.property(fc.bigInt({ min: -1n, max: 2n ** 24n }), fc.constantFrom('ms', 's', 'm', 'h', 'd', 'w'), (n, unit) => {
        const desired = normalizeConfigValue('retention.ms', `${n}${n < 0n ? '' : unit}`);
        assert.ok(desired.ok);
        assert.equal(canonicalConfigValue('retention.ms', desired.value), desired.value);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (d) => {
        const desired = normalizeConfigValue('min.cleanable.dirty.ratio', d);
        assert.ok(desired.ok);
        assert.equal(canonicalConfigValue('min.cleanable.dirty.ratio', desired.value), desired.value);
        assert.equal(canonicalConfigValue('min.cleanable.dirty.ratio', d.toFixed(20)), String(Number(d.toFixed(20))));
      }),
    );
  });
});

describe('humanizeConfigValue', () => {
  const table: [string, string, string | undefined][] = [
    ['retention.ms', '604800000', '7d'],
    ['retention.ms', '86400000', '1d'],
    ['retention.ms', '5400000', '90m'],
    ['retention.ms', '30000', '30s'],
    ['retention.ms', '500', undefined],
    ['retention.ms', '-1', undefined],
    ['retention.ms', '9223372036854775807', undefined],
    ['segment.bytes', '1073741824', '1GiB'],
    ['retention.bytes', '524288', '512KiB'],
    ['max.message.bytes', '1048588', undefined],
    ['cleanup.policy', 'delete', undefined],
  ];
  for (const [key, value, want] of table) {
    it(`${key}=${value} -> ${String(want)}`, () => assert.equal(humanizeConfigValue(key, value), want));
  }
});

describe('no phantom diffs, for every catalog key', () => {
  it('a server spelling of a value canonicalises to what the manifest normalises to', () => {
    const randomCase = (s: string, bits: number): string =>
      [...s].map((c, i) => ((bits >> i % 30) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
    for (const [key, spec] of TOPIC_CONFIGS) {
      fc.assert(
        fc.property(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 31n - 2n }), fc.double({ min: 0, max: 1, noNaN: true }), (bits, n, d) => {
          let desired: ConfigInput;
          let server: string;
          switch (spec.type) {
            case 'int':
            case 'long': {
              const lo = BigInt(spec.min ?? 0);
              const hi = spec.max !== undefined ? BigInt(spec.max) : 2n ** 31n - 1n;
              const v = lo + (n % (hi - lo + 1n));
              desired = bits % 2 === 0 ? v.toString() : Number(v);
              server = ` 0${v.toString()}`.replace(/^ 0-/, ' -0');
              break;
            }
            case 'double':
              desired = d;
              server = d.toFixed(12);
              break;
            case 'boolean':
              desired = bits % 2 === 0;
              server = randomCase(String(desired), bits);
              break;
            case 'string': {
              const valid = spec.validValues ?? [spec.default ?? 'some-value'];
              desired = spec.validValues ? randomCase(valid[bits % valid.length] ?? '', bits >> 3) : (valid[0] ?? '');
              server = spec.validValues ? randomCase(String(desired), bits >> 5) : String(desired);
              break;
            }
            case 'list': {
              const valid = spec.validValues ?? ['0:101', '1:102'];
              const picked = valid.filter((_, i) => (bits >> i) & 1);
              const items = picked.length > 0 ? picked : [valid[0] ?? ''];
              desired = items;
              server = [...items].reverse().map((x) => randomCase(x, bits >> 7)).join(', ');
              break;
            }
          }
          const normalized = normalizeConfigValue(key, desired);
          assert.ok(normalized.ok, `${key}=${JSON.stringify(desired)}: ${normalized.ok ? '' : normalized.message}`);
          assert.equal(canonicalConfigValue(key, normalized.value), normalized.value, `${key}: canonical is idempotent`);
          const expected = spec.type === 'double' ? String(Number(server)) : normalized.value;
          assert.equal(canonicalConfigValue(key, server), expected, `${key}: server spelling ${JSON.stringify(server)}`);
        }),
        { numRuns: 50 },
      );
    }
  });
});
