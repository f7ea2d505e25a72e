/**
 * Amazon MSK IAM authentication: an OAUTHBEARER token that is a SigV4-presigned
 * `kafka-cluster:Connect` URL, signed by AWS's own signer library with the AWS SDK's default
 * credential chain (environment, shared config and SSO, web identity, container and instance
 * metadata). A new token is signed for every connection and re-authentication, so rotating
 * credentials keep working.
 */
import type { SASLOptions } from '@platformatic/kafka';
import type { GenerateAuthTokenResponse } from 'aws-msk-iam-sasl-signer-js';
import { ConfigError } from '../../errors.js';

/** The `sasl.mechanism` value that selects Amazon MSK IAM (the name MSK's own clients use). */
export const MSK_IAM_MECHANISM = 'AWS_MSK_IAM';

/** Signs a token for a region; AWS's signer by default, replaceable in tests. */
export type MskTokenSigner = (options: { region: string }) => Promise<GenerateAuthTokenResponse>;

// Loaded on first use: the signer and the AWS SDK take about a second to import, which no other
// kind of cluster or mechanism should pay.
const awsSigner: MskTokenSigner = async (options) => (await import('aws-msk-iam-sasl-signer-js')).generateAuthToken(options);

// b-1.name.abc123.c2.kafka.us-east-1.amazonaws.com, boot-x.c1.kafka-serverless.eu-west-1.amazonaws.com
const MSK_HOST = /\.kafka(?:-serverless)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?(?::\d+)?$/i;

/**
 * The AWS region to sign for: `sasl.region` when set, else the region in the MSK bootstrap host
 * names, else `AWS_REGION` / `AWS_DEFAULT_REGION`. Throws `ConfigError` when none says it, or when
 * the bootstrap servers name two regions.
 */
export function mskIamRegion(
  region: string | undefined,
  bootstrapServers: readonly string[],
  env: Record<string, string | undefined>,
): string {
  if (region !== undefined && region !== '') return region;
  const fromHosts = [...new Set(bootstrapServers.map((s) => MSK_HOST.exec(s)?.[1]?.toLowerCase()).filter((r) => r !== undefined))];
  if (fromHosts.length > 1) {
    throw new ConfigError(`the bootstrap servers are in several AWS regions (${fromHosts.sort().join(', ')}); set sasl.region`);
  }
  const found = fromHosts[0] ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  if (found === undefined || found === '') {
    throw new ConfigError(
      `${MSK_IAM_MECHANISM} needs an AWS region: set sasl.region, use MSK bootstrap host names, or set AWS_REGION`,
    );
  }
  return found;
}

/**
 * The client's SASL options for Amazon MSK IAM in `region`. The token is signed when a connection
 * authenticates; a failure to find credentials becomes a `ConfigError` naming the chain (the
 * client reports it as the cause of its authentication error).
 */
export function mskIamSasl(region: string, sign: MskTokenSigner = awsSigner): SASLOptions {
  return {
    mechanism: 'OAUTHBEARER',
    token: async () => {
      try {
        return (await sign({ region })).token;
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw new ConfigError(
          `${MSK_IAM_MECHANISM}: could not sign a token for ${region} with the AWS default credential chain (environment, shared config and SSO, web identity, container or instance metadata): ${reason}`,
          { cause: e },
        );
      }
    },
  };
}
