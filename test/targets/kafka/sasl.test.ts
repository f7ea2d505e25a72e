// The kafka target's SASL settings for OAUTHBEARER and Amazon MSK IAM: what the settings accept,
// and what the client is handed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseKafkaSettings } from '../../../src/targets/kafka/settings.js';
import { saslOptions } from '../../../src/targets/kafka/sasl.js';

const MSK = 'b-1.orders.abc123.c2.kafka.eu-west-1.amazonaws.com:9098';

describe('kafka target: OAUTHBEARER and AWS_MSK_IAM settings', () => {
  it('hands OAUTHBEARER its token and refuses one that is not a bearer token, naming the cluster', () => {
    const settings = parseKafkaSettings({ bootstrapServers: ['k:9092'], sasl: { mechanism: 'OAUTHBEARER', token: 'abc.def.ghi' } }, 'prod', '/');
    const { mechanism, token, authBytesValidator } = saslOptions(settings.sasl!, 'prod');
    assert.deepEqual({ mechanism, token }, { mechanism: 'OAUTHBEARER', token: 'abc.def.ghi' });
    assert.equal(typeof authBytesValidator, 'function', "the broker's answer to the token is checked (auth.test.ts)");
    const bad = parseKafkaSettings({ bootstrapServers: ['k:9092'], sasl: { mechanism: 'OAUTHBEARER', token: 'a secret' } }, 'prod', '/');
    assert.throws(() => saslOptions(bad.sasl!, 'prod'), (e: unknown) => e instanceof Error && e.message.startsWith('Cluster "prod": sasl.token is not a bearer token') && !e.message.includes('secret'));
  });

  it('signs AWS_MSK_IAM for sasl.region, else the MSK host names, else AWS_REGION', () => {
    const region = (sasl: Record<string, string>, servers: string[], env: Record<string, string> = {}): unknown =>
      parseKafkaSettings({ bootstrapServers: servers, sasl: { mechanism: 'AWS_MSK_IAM', ...sasl } }, 'msk', '/', env).sasl;
    assert.deepEqual(region({ region: 'us-east-2' }, [MSK]), { mechanism: 'AWS_MSK_IAM', region: 'us-east-2' });
    assert.deepEqual(region({}, [MSK], { AWS_REGION: 'ap-south-1' }), { mechanism: 'AWS_MSK_IAM', region: 'eu-west-1' });
    assert.deepEqual(region({}, ['kafka.internal:9098'], { AWS_REGION: 'ap-south-1' }), { mechanism: 'AWS_MSK_IAM', region: 'ap-south-1' });
    assert.throws(() => region({}, ['kafka.internal:9098']), {
      name: 'ConfigError',
      message: 'Cluster "msk": AWS_MSK_IAM needs an AWS region: set sasl.region, use MSK bootstrap host names, or set AWS_REGION.',
    });
  });

  it('gives the client an OAUTHBEARER token provider for AWS_MSK_IAM, signing on each authentication', () => {
    const sasl = saslOptions({ mechanism: 'AWS_MSK_IAM', region: 'eu-west-1' }, 'msk');
    assert.equal(sasl.mechanism, 'OAUTHBEARER');
    assert.equal(typeof sasl.token, 'function');
  });
});
