import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DesiredState } from '../../src/model.js';
import { desiredDigest } from '../../src/plan/index.js';
import { acl, desired, topic } from './builders.js';

const BASE = desired({
  topics: [topic('orders.a', { partitions: 6, config: { 'retention.ms': '1000', 'cleanup.policy': 'compact' } }), topic('orders.b')],
  acls: [acl('User:a', 'READ', 'orders.a'), acl('User:a', 'WRITE', 'orders.a'), acl('User:b', 'READ', 'orders.b')],
  topicPrefixes: ['orders.', 'payments.'],
  principals: ['User:a', 'User:b'],
});

describe('desiredDigest', () => {
  it('is a sha256 that depends on content only: list and key order, and source locations, do not count', () => {
    const digest = desiredDigest(BASE, ['mycorp.', 'other.']);
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    const shuffled: DesiredState = {
      topics: [...BASE.topics].reverse().map((t) => ({
        ...t,
        config: Object.fromEntries(Object.entries(t.config).reverse()),
        source: { file: 'elsewhere.yaml', line: 40, column: 3, path: '/topics/9' },
      })),
      acls: [...BASE.acls].reverse().map((a) => ({ ...a, source: { ...a.source, line: 99 } })),
      scope: { ...BASE.scope, principals: [...BASE.scope.principals].reverse(), topicPrefixes: [...BASE.scope.topicPrefixes].reverse() },
    };
    assert.equal(desiredDigest(shuffled, ['other.', 'mycorp.']), digest);
    // A topic with the previous topic's config (written in short) whatever its key order.
    const config = { 'retention.ms': '1000', 'cleanup.policy': 'compact' };
    const inStep = desired({ topics: [topic('a', { config }), topic('b', { config: { ...config } })] });
    const reversed = desired({ topics: [topic('a', { config }), topic('b', { config: { 'cleanup.policy': 'compact', 'retention.ms': '1000' } })] });
    assert.equal(desiredDigest(reversed, []), desiredDigest(inStep, []));
  });

  it('changes with every part of what the manifests ask', () => {
    const digest = desiredDigest(BASE, []);
    const variants: [string, DesiredState, string[]][] = [
      ['a topic more', { ...BASE, topics: [...BASE.topics, topic('orders.c')] }, []],
      ['a topic less', { ...BASE, topics: BASE.topics.slice(1) }, []],
      ['a topic renamed', { ...BASE, topics: [BASE.topics[0]!, topic('orders.bb')] }, []],
      ['partitions', { ...BASE, topics: [BASE.topics[0]!, topic('orders.b', { partitions: 4 })] }, []],
      ['replication factor', { ...BASE, topics: [BASE.topics[0]!, topic('orders.b', { replicationFactor: 2 })] }, []],
      ['a config value', { ...BASE, topics: [{ ...BASE.topics[0]!, config: { 'retention.ms': '1001', 'cleanup.policy': 'compact' } }, BASE.topics[1]!] }, []],
      ['a config key', { ...BASE, topics: [{ ...BASE.topics[0]!, config: { 'retention.ms': '1000' } }, BASE.topics[1]!] }, []],
      // The second topic's config against the first's, which it equals or almost equals.
      ['a config like the previous topic\'s', { ...BASE, topics: [BASE.topics[0]!, { ...BASE.topics[1]!, config: { ...BASE.topics[0]!.config } }] }, []],
      ['a value unlike the previous topic\'s', { ...BASE, topics: [BASE.topics[0]!, { ...BASE.topics[1]!, config: { 'retention.ms': '1000', 'cleanup.policy': 'delete' } }] }, []],
      ['a key more than the previous topic', { ...BASE, topics: [BASE.topics[0]!, { ...BASE.topics[1]!, config: { ...BASE.topics[0]!.config, 'segment.ms': '1' } }] }, []],
      ['a key less than the previous topic', { ...BASE, topics: [BASE.topics[0]!, { ...BASE.topics[1]!, config: { 'retention.ms': '1000' } }] }, []],
      ['another key than the previous topic', { ...BASE, topics: [BASE.topics[0]!, { ...BASE.topics[1]!, config: { 'retention.ms': '1000', 'cleanup.polic': 'compact' } }] }, []],
      ['a binding with a role', { ...BASE, acls: [...BASE.acls.slice(0, 2), { ...BASE.acls[2]!, role: 'consumer' }] }, []],
      ['a binding with another role', { ...BASE, acls: [...BASE.acls.slice(0, 2), { ...BASE.acls[2]!, role: 'producer' }] }, []],
      ['a binding less', { ...BASE, acls: BASE.acls.slice(1) }, []],
      ['a binding changed', { ...BASE, acls: [...BASE.acls.slice(0, 2), { ...BASE.acls[2]!, permission: 'DENY' }] }, []],
      // Each field of the second binding, which shares its leading fields with the first.
      ...(
        [
          ['principal', { principal: 'User:c' }],
          ['host', { host: '10.0.0.1' }],
          ['resourceType', { resourceType: 'GROUP' }],
          ['resourceName', { resourceName: 'orders.z' }],
          ['patternType', { patternType: 'PREFIXED' }],
          ['operation', { operation: 'DESCRIBE' }],
          ['permission', { permission: 'DENY' }],
        ] as const
      ).map(([field, over]): [string, DesiredState, string[]] => [`the ${field} of a binding`, { ...BASE, acls: [BASE.acls[0]!, { ...BASE.acls[1]!, ...over }, BASE.acls[2]!] }, []]),
      ['a scope prefix', { ...BASE, scope: { ...BASE.scope, topicPrefixes: ['orders.'] } }, []],
      ['a scope principal', { ...BASE, scope: { ...BASE.scope, principals: ['User:a', 'User:b', 'User:c'] } }, []],
      ['a scope group prefix', { ...BASE, scope: { ...BASE.scope, groupPrefixes: ['orders-'] } }, []],
      ['a scope transactional id prefix', { ...BASE, scope: { ...BASE.scope, transactionalIdPrefixes: ['orders-'] } }, []],
      ['the scope owning the cluster resource', { ...BASE, scope: { ...BASE.scope, cluster: true } }, []],
      ['ignored config prefixes', BASE, ['mycorp.']],
    ];
    const seen = new Set([digest]);
    for (const [what, state, prefixes] of variants) {
      const other = desiredDigest(state, prefixes);
      assert.ok(!seen.has(other), `${what} does not change the digest`);
      seen.add(other);
    }
  });

  it('tells apart names that would run together, and lone surrogates from U+FFFD', () => {
    const two = desired({ topics: [topic('ab'), topic('c')] });
    const joined = desired({ topics: [topic('a'), topic('bc')] });
    assert.notEqual(desiredDigest(two, []), desiredDigest(joined, []));
    assert.notEqual(desiredDigest(desired({ topics: [topic('x\ud800')] }), []), desiredDigest(desired({ topics: [topic('x\ufffd')] }), []));
  });
});
