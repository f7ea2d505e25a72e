/**
 * SASL/OAUTHBEARER with a token the user supplies (from `${VAR}` in the cluster's settings): the
 * token is sent as is; obtaining and refreshing it is the user's identity provider's business.
 */
import type { SASLOptions } from '@platformatic/kafka';
import { ConfigError } from '../../errors.js';

// RFC 6750's b64token: anything else would break the GS2 framing of the SASL message (a \x01 or
// a space ends the `auth=Bearer` value early) and is certainly not a bearer token.
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The broker refused the token, with the `status` of its RFC 7628 error (`invalid_token`). */
export class OAuthBearerRefusedError extends Error {
  constructor(readonly status: string) {
    super(`the broker refused the OAUTHBEARER token (${status})`);
  }
}

type AuthBytesValidator = NonNullable<SASLOptions['authBytesValidator']>;

/**
 * A broker refuses a token with an RFC 7628 error (JSON with a `status`) in place of the empty
 * success answer, not with an error code; taken for success, the connection was closed at the
 * next request with nothing saying why.
 */
const refusedToken: AuthBytesValidator = (authBytes, callback) => {
  if (authBytes.length === 0) {
    callback(null, authBytes);
    return;
  }
  let status = 'an answer that is not RFC 7628 JSON';
  try {
    const answer = JSON.parse(authBytes.toString('utf8')) as { status?: unknown };
    if (typeof answer.status === 'string') status = answer.status;
  } catch {
    // The status above says what is wrong with it.
  }
  callback(new OAuthBearerRefusedError(status));
};

/**
 * The client's SASL options for OAUTHBEARER with `token`. Throws `ConfigError` for a token that
 * is empty or not a bearer token; the message never contains the token.
 */
export function oauthBearerSasl(token: string, setting = 'sasl.token'): SASLOptions {
  if (token === '') throw new ConfigError(`${setting} is empty: OAUTHBEARER needs a token`);
  if (!BEARER_TOKEN.test(token)) {
    throw new ConfigError(
      `${setting} is not a bearer token: RFC 6750 allows only letters, digits and - . _ ~ + / followed by = padding (the value is not shown)`,
    );
  }
  return { mechanism: 'OAUTHBEARER', token, authBytesValidator: refusedToken };
}
