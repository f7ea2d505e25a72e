import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expandAcl } from '../../src/manifest/acls.js';
import { rolePattern } from '../../src/manifest/roles.js';
import type { WrittenAcl } from '../../src/manifest/written.js';
import type { SourceLocation } from '../../src/model.js';

const locate = (path: string): SourceLocation => ({ file: 'f.yaml', line: 1, column: 1, path });

function expand(entry: WrittenAcl): string[] {
  return expandAcl(entry, '/acls/0', locate).map(
    (b) => `${b.permission} ${b.principal}@${b.host} ${b.operation} ${b.resourceType}:${b.patternType}:${b.resourceName} <${b.source.path}>`,
  );
}

describe('ACL role expansion', () => {
  it('reads a trailing * as a prefix and * alone as every resource', () => {
    assert.deepEqual(rolePattern('orders.*'), { resourceName: 'orders.', patternType: 'PREFIXED' });
    assert.deepEqual(rolePattern('*'), { resourceName: '*', patternType: 'LITERAL' });
    assert.deepEqual(rolePattern('orders'), { resourceName: 'orders', patternType: 'LITERAL' });
  });

  it('consumer: TOPIC READ + DESCRIBE per topic, GROUP READ per group', () => {
    assert.deepEqual(expand({ principal: 'User:c', role: 'consumer', topics: ['orders.*', 'audit'], groups: ['billing', '*'] }), [
      'ALLOW User:c@* READ TOPIC:PREFIXED:orders. </acls/0/topics/0>',
      'ALLOW User:c@* DESCRIBE TOPIC:PREFIXED:orders. </acls/0/topics/0>',
      'ALLOW User:c@* READ TOPIC:LITERAL:audit </acls/0/topics/1>',
      'ALLOW User:c@* DESCRIBE TOPIC:LITERAL:audit </acls/0/topics/1>',
      'ALLOW User:c@* READ GROUP:LITERAL:billing </acls/0/groups/0>',
      'ALLOW User:c@* READ GROUP:LITERAL:* </acls/0/groups/1>',
    ]);
  });

  it('producer: TOPIC WRITE + DESCRIBE; admin: ALL on topics and groups; host and permission carry over', () => {
    assert.deepEqual(expand({ principal: 'User:p', role: 'producer', topics: ['orders.v1'], host: '10.0.0.1', permission: 'DENY' }), [
      'DENY User:p@10.0.0.1 WRITE TOPIC:LITERAL:orders.v1 </acls/0/topics/0>',
      'DENY User:p@10.0.0.1 DESCRIBE TOPIC:LITERAL:orders.v1 </acls/0/topics/0>',
    ]);
    assert.deepEqual(expand({ principal: 'User:a', role: 'admin', topics: ['*'], groups: ['ops-*'] }), [
      'ALLOW User:a@* ALL TOPIC:LITERAL:* </acls/0/topics/0>',
      'ALLOW User:a@* ALL GROUP:PREFIXED:ops- </acls/0/groups/0>',
    ]);
  });

  it('explicit entries give one binding per operation with defaults filled', () => {
    assert.deepEqual(
      expand({ principal: 'User:x', resourceType: 'TRANSACTIONAL_ID', resourceName: 'tx-', patternType: 'PREFIXED', operations: ['WRITE', 'DESCRIBE'] }),
      [
        'ALLOW User:x@* WRITE TRANSACTIONAL_ID:PREFIXED:tx- </acls/0/operations/0>',
        'ALLOW User:x@* DESCRIBE TRANSACTIONAL_ID:PREFIXED:tx- </acls/0/operations/1>',
      ],
    );
  });

  it('marks bindings from a role with its name and places each at its parameter; explicit ones have no role', () => {
    const fromRole = expandAcl({ principal: 'User:s', role: 'streams', applicationId: 'app' }, '/acls/2', locate);
    assert.deepEqual([...new Set(fromRole.map((b) => `${b.role} ${b.source.path}`))], ['streams /acls/2/applicationId']);
    const explicit = expandAcl({ principal: 'User:x', resourceType: 'TOPIC', resourceName: 't', operations: ['READ'] }, '/acls/0', locate);
    assert.equal(explicit[0]?.role, undefined);
  });
});
