import type { SASLOptions } from '@platformatic/kafka';
import { mskIamSasl } from './auth-msk-iam.js';
import { oauthBearerSasl } from './auth-oauthbearer.js';
import type { SaslSettings } from './settings.js';

/**
 * The client's SASL options for a cluster's `sasl` settings: one case per mechanism, so a
 * mechanism needing its own authenticator (a token provider, a request signer) is one more case.
 */
export function saslOptions(sasl: SaslSettings, cluster: string): SASLOptions {
  switch (sasl.mechanism) {
    case 'PLAIN':
    case 'SCRAM-SHA-256':
    case 'SCRAM-SHA-512':
      return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password };
    case 'OAUTHBEARER':
      return oauthBearerSasl(sasl.token, `Cluster "${cluster}": sasl.token`);
    case 'AWS_MSK_IAM':
      return mskIamSasl(sasl.region);
  }
}
