import type { SASLOptions } from '@platformatic/kafka';
import { UsageError } from '../../errors.js';
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
    case 'AWS_MSK_IAM':
      throw new UsageError(`Cluster "${cluster}": sasl.mechanism ${sasl.mechanism} is not supported yet by this version of kafkaform.`);
  }
}
