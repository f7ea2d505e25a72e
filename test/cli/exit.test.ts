import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, ConfigError, InternalError, ManifestError, UsageError } from '../../src/errors.js';
import { formatProblem, reportError } from '../../src/commands/exit.js';

function report(error: unknown, options: { debug?: boolean; color?: boolean } = {}): { code: number; text: string } {
  let text = '';
  const code = reportError(error, { stderr: (s) => (text += s), debug: options.debug ?? false, color: options.color ?? false });
  return { code, text };
}

describe('exit mapping', () => {
  it('one sentence per expected failure, exit 1', () => {
    assert.deepEqual(report(new UsageError('unknown cluster "x"')), { code: 1, text: 'error: unknown cluster "x"\n' });
    assert.deepEqual(report(new ConfigError('a.yaml:3:5: environment variable A is not set\na.yaml:4:5: environment variable B is not set')), {
      code: 1,
      text: 'error: a.yaml:3:5: environment variable A is not set\nerror: a.yaml:4:5: environment variable B is not set\n',
    });
  });

  it('manifest problems read file:line:col: message (path), warnings marked, sorted by place', () => {
    const { code, text } = report(
      new ManifestError([
        { severity: 'error', message: 'unknown config "retention.msx" (did you mean "retention.ms"?)', file: 'b.yaml', line: 9, column: 7, path: '/topics/0/config/retention.msx' },
        { severity: 'warning', message: 'topic names a.b and a_b collide in metrics', file: 'a.yaml', line: 2, column: 11, path: '/topics/1/name' },
        { severity: 'error', message: 'not a kafkaform manifest', file: 'c.yaml', line: 0, column: 0, path: '' },
      ]),
    );
    assert.equal(code, 1);
    assert.equal(
      text,
      [
        'a.yaml:2:11: warning: topic names a.b and a_b collide in metrics (/topics/1/name)',
        'b.yaml:9:7: unknown config "retention.msx" (did you mean "retention.ms"?) (/topics/0/config/retention.msx)',
        'c.yaml: not a kafkaform manifest',
        'error: 2 problems in the manifests',
        '',
      ].join('\n'),
    );
  });

  it('API failures carry status, error code and the server text; the request only with --debug', () => {
    const error = new ApiError('not authorized to delete topic orders.v1', {
      method: 'DELETE',
      url: 'https://rest.example/kafka/v3/clusters/lkc-1/topics/orders.v1',
      status: 403,
      errorCode: 40301,
      serverMessage: 'Authorization failed',
    });
    assert.equal(report(error).text, 'error: not authorized to delete topic orders.v1 (HTTP 403, error_code 40301, server: "Authorization failed")\n');
    const debug = report(error, { debug: true }).text.split('\n');
    assert.equal(debug[1], '  request: DELETE https://rest.example/kafka/v3/clusters/lkc-1/topics/orders.v1');
    assert.match(debug[2]!, /^ApiError: not authorized/);
    const reset = new ApiError('connection to rest.example was reset', { method: 'GET', url: 'https://rest.example/kafka/v3/clusters' });
    assert.equal(report(reset).text, 'error: connection to rest.example was reset\n');
  });

  it('anything unexpected is a bug and says so; the stack only with --debug', () => {
    const plain = report(new TypeError("Cannot read properties of undefined (reading 'name')"));
    assert.equal(plain.code, 1);
    assert.equal(
      plain.text,
      "error: internal error: Cannot read properties of undefined (reading 'name'). This is a bug in kafkaform; please report it with the output of --debug\n",
    );
    assert.match(report(new InternalError('units lost an action')).text, /^error: internal error: units lost an action\. This is a bug/);
    assert.match(report(new TypeError('boom'), { debug: true }).text, /\n {4}at /);
  });

  it('escapes control characters from servers and files, and colours only when asked', () => {
    const hostile = report(new ConfigError('topic \u001b[2Jevil is odd'));
    assert.ok(!hostile.text.includes('\u001b'));
    assert.match(hostile.text, /\\x1b\[2Jevil/);
    assert.ok(!formatProblem({ severity: 'error', message: 'bad \u0007bell', file: 'x\u001b.yaml', line: 1, column: 1, path: '' }).includes('\u001b'));
    assert.equal(report(new UsageError('x'), { color: true }).text, '\u001b[31m\u001b[1merror\u001b[0m: x\n');
  });
});
