// SASL OAUTHBEARER and Amazon MSK IAM. MSK cannot be reached from tests, so the MSK token is signed
// by AWS's real signer with fixed credentials from the environment, decoded, and its SigV4
// signature recomputed here independently; a guard on sockets proves nothing reaches the network.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import net from 'node:net';
import { ConfigError } from '../../../src/errors.js';
import { OAuthBearerRefusedError, oauthBearerSasl } from '../../../src/targets/kafka/auth-oauthbearer.js';
import { mskIamRegion, mskIamSasl } from '../../../src/targets/kafka/auth-msk-iam.js';

describe('OAUTHBEARER', () => {
  it('sends the token it is given', () => {
    const sasl = oauthBearerSasl('eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.');
    assert.equal(sasl.mechanism, 'OAUTHBEARER');
    assert.equal(sasl.token, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.');
    assert.equal(oauthBearerSasl('abc+/=').token, 'abc+/=');
  });

  it("takes the broker's empty answer as success and an RFC 7628 error as the token's refusal", () => {
    const validate = oauthBearerSasl('abc').authBytesValidator!;
    const answer = (bytes: string): { error: Error | null; payload?: Buffer | undefined } => {
      let got: { error: Error | null; payload?: Buffer | undefined } | undefined;
      validate(Buffer.from(bytes), ((error: Error | null, payload?: Buffer) => (got = { error, payload })) as Parameters<typeof validate>[1]);
      return got!;
    };
    assert.deepEqual(answer(''), { error: null, payload: Buffer.alloc(0) });
    const refused = answer('{"status":"invalid_token"}').error;
    assert.ok(refused instanceof OAuthBearerRefusedError);
    assert.equal(refused.message, 'the broker refused the OAUTHBEARER token (invalid_token)');
    assert.equal(answer('not json').error?.message, 'the broker refused the OAUTHBEARER token (an answer that is not RFC 7628 JSON)');
  });

  it('refuses an empty token or one that is not a bearer token, without showing it', () => {
    assert.throws(() => oauthBearerSasl(''), { name: 'ConfigError', message: 'sasl.token is empty: OAUTHBEARER needs a token' });
    for (const bad of ['secret value', 'secret\u0001auth=x', 'Bearer secret', '=secret']) {
      assert.throws(
        () => oauthBearerSasl(bad),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith('sasl.token is not a bearer token') && !e.message.includes('secret'),
      );
    }
  });
});

describe('Amazon MSK IAM: region', () => {
  const hosts = ['b-1.orders.abc123.c2.kafka.eu-west-1.amazonaws.com:9098', 'b-2.orders.abc123.c2.kafka.eu-west-1.amazonaws.com:9098'];

  it('takes sasl.region first, then the MSK host names, then AWS_REGION and AWS_DEFAULT_REGION', () => {
    assert.equal(mskIamRegion('us-east-2', hosts, { AWS_REGION: 'ap-south-1' }), 'us-east-2');
    assert.equal(mskIamRegion(undefined, hosts, { AWS_REGION: 'ap-south-1' }), 'eu-west-1');
    assert.equal(mskIamRegion(undefined, ['boot-x.c1.kafka-serverless.us-gov-west-1.amazonaws.com:9098'], {}), 'us-gov-west-1');
    assert.equal(mskIamRegion(undefined, ['kafka.internal:9098'], { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'sa-east-1' }), 'ap-south-1');
    assert.equal(mskIamRegion(undefined, ['kafka.internal:9098'], { AWS_DEFAULT_REGION: 'sa-east-1' }), 'sa-east-1');
  });

  it('refuses when nothing names a region, or the hosts name two', () => {
    assert.throws(() => mskIamRegion(undefined, ['kafka.internal:9098'], {}), {
      name: 'ConfigError',
      message: 'AWS_MSK_IAM needs an AWS region: set sasl.region, use MSK bootstrap host names, or set AWS_REGION',
    });
    assert.throws(() => mskIamRegion(undefined, [hosts[0]!, 'b-1.x.y.c1.kafka.us-east-1.amazonaws.com:9098'], {}), {
      message: 'the bootstrap servers are in several AWS regions (eu-west-1, us-east-1); set sasl.region',
    });
  });
});

const AWS_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');
// SigV4's URI encoding: RFC 3986 unreserved characters stay, everything else is %XX.
const uriEncode = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

describe('Amazon MSK IAM: signing with the default credential chain', () => {
  const saved = new Map<string, string | undefined>();
  const originalConnect = net.Socket.prototype.connect;
  let connections: unknown[] = [];

  beforeEach(() => {
    for (const v of AWS_VARS) saved.set(v, process.env[v]);
    for (const v of AWS_VARS) delete process.env[v];
    // No shared config may leak in from the machine, and no instance metadata may be asked.
    process.env['AWS_CONFIG_FILE'] = '/nonexistent/kafkaform-test/config';
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = '/nonexistent/kafkaform-test/credentials';
    process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
    connections = [];
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      connections.push(args[0]);
      throw new Error('the test reached for the network');
    } as typeof net.Socket.prototype.connect;
  });

  afterEach(() => {
    net.Socket.prototype.connect = originalConnect;
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('signs a kafka-cluster:Connect URL for the region with the credentials from the environment', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIAKAFKAFORMTEST';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'kafkaform/test+secret';
    process.env['AWS_SESSION_TOKEN'] = 'session/token+1';
    const sasl = mskIamSasl('eu-west-1');
    assert.equal(sasl.mechanism, 'OAUTHBEARER');
    assert.equal(typeof sasl.token, 'function');
    const token = await (sasl.token as () => Promise<string>)();

    assert.match(token, /^[A-Za-z0-9_-]+$/, 'base64url without padding');
    const url = new URL(Buffer.from(token, 'base64url').toString('utf8'));
    assert.equal(url.protocol, 'https:');
    assert.equal(url.host, 'kafka.eu-west-1.amazonaws.com');
    assert.equal(url.pathname, '/');
    const q = url.searchParams;
    assert.equal(q.get('Action'), 'kafka-cluster:Connect');
    assert.equal(q.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
    const date = q.get('X-Amz-Date')!;
    assert.match(date, /^\d{8}T\d{6}Z$/);
    const scope = `${date.slice(0, 8)}/eu-west-1/kafka-cluster/aws4_request`;
    assert.equal(q.get('X-Amz-Credential'), `AKIAKAFKAFORMTEST/${scope}`);
    assert.equal(q.get('X-Amz-SignedHeaders'), 'host');
    assert.equal(q.get('X-Amz-Expires'), '900');
    assert.equal(q.get('X-Amz-Security-Token'), 'session/token+1');
    assert.match(q.get('User-Agent')!, /^aws-msk-iam-sasl-signer-js\//);

    // The signature, recomputed: the signed query is everything but the signature and the
    // User-Agent the signer appends after signing.
    const signed = [...q.entries()]
      .filter(([k]) => k !== 'X-Amz-Signature' && k !== 'User-Agent')
      .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const canonical = ['GET', '/', signed, 'host:kafka.eu-west-1.amazonaws.com', '', 'host', sha256('')].join('\n');
    const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
    let key = hmac(`AWS4kafkaform/test+secret`, date.slice(0, 8));
    for (const part of ['eu-west-1', 'kafka-cluster', 'aws4_request']) key = hmac(key, part);
    assert.equal(q.get('X-Amz-Signature'), hmac(key, toSign).toString('hex'));
    assert.deepEqual(connections, []);
  });

  it('signs again for every authentication, so rotated credentials are picked up', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIAFIRST';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'first';
    const sasl = mskIamSasl('us-east-1');
    const credentialOf = async (): Promise<string> =>
      new URL(Buffer.from(await (sasl.token as () => Promise<string>)(), 'base64url').toString()).searchParams.get('X-Amz-Credential')!;
    assert.match(await credentialOf(), /^AKIAFIRST\//);
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIASECOND';
    assert.match(await credentialOf(), /^AKIASECOND\//);
    assert.deepEqual(connections, []);
  });

  it('says in one sentence that no credentials were found, naming the chain', async () => {
    await assert.rejects(
      (mskIamSasl('eu-west-1').token as () => Promise<string>)(),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message.startsWith(
          'AWS_MSK_IAM: could not sign a token for eu-west-1 with the AWS default credential chain (environment, shared config and SSO, web identity, container or instance metadata): ',
        ),
    );
    assert.deepEqual(connections, []);
  });
});
