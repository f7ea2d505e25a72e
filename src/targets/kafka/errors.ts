import { protocolErrorsCodesById } from '@platformatic/kafka';
import { ApiError } from '../../errors.js';

/** What a request was trying to do, for messages: `create` + `topic orders.v1`, sent as `CreateTopics`. */
export interface Operation {
  verb: string;
  resource: string;
  /** The Kafka API, e.g. `CreateTopics`; shown with `--debug`. */
  api: string;
}

/** Kafka error codes that change what we say or do. */
export const KAFKA_ERRORS = {
  unknownTopic: 3,
  leaderNotAvailable: 5,
  topicAuthorization: 29,
  groupAuthorization: 30,
  clusterAuthorization: 31,
  unsupportedVersion: 35,
  topicExists: 36,
  invalidPartitions: 37,
  securityDisabled: 54,
  saslAuthentication: 58,
  transactionalIdAuthorization: 53,
  delegationTokenAuthorization: 65,
} as const;

const AUTHORIZATION: ReadonlySet<number> = new Set([
  KAFKA_ERRORS.topicAuthorization,
  KAFKA_ERRORS.groupAuthorization,
  KAFKA_ERRORS.clusterAuthorization,
  KAFKA_ERRORS.transactionalIdAuthorization,
  KAFKA_ERRORS.delegationTokenAuthorization,
]);

/** True for the codes `kafkaFailure` words itself; for the others the broker's text says most. */
export function hasOwnSentence(code: number): boolean {
  return (
    AUTHORIZATION.has(code) ||
    code === KAFKA_ERRORS.saslAuthentication ||
    code === KAFKA_ERRORS.securityDisabled ||
    code === KAFKA_ERRORS.unsupportedVersion
  );
}

/** Kafka's name for an error code: `INVALID_CONFIG`. */
export function errorName(code: number): string {
  return protocolErrorsCodesById[code] ?? `error ${code}`;
}

/** The sentence for a cluster without an authorizer (SECURITY_DISABLED). */
export const NO_AUTHORIZER = 'the cluster has no authorizer (SECURITY_DISABLED), so it has no ACLs';

/**
 * Turns an error code a broker answered into one sentence for the user, keeping the code and the
 * broker's own text in `details` (printed after the sentence, so the sentence does not repeat
 * them). `broker` is the address the request went to.
 */
export function kafkaFailure(op: Operation, code: number, serverMessage: string | null | undefined, broker: string): ApiError {
  const name = errorName(code);
  let message: string;
  if (AUTHORIZATION.has(code)) {
    message = `Not authorized to ${op.verb} ${op.resource} (${name}): grant the user the ACLs this needs, or use another user`;
  } else if (code === KAFKA_ERRORS.saslAuthentication) {
    message = `Authentication failed at ${broker} (${name}): check the sasl credentials configured for this cluster`;
  } else if (code === KAFKA_ERRORS.securityDisabled) {
    message = `Cannot ${op.verb} ${op.resource}: ${NO_AUTHORIZER}`;
  } else if (code === KAFKA_ERRORS.unsupportedVersion) {
    message = `Cannot ${op.verb} ${op.resource}: the broker at ${broker} does not support ${op.api} at the version kafkaform sends (Kafka 2.8 or later is needed)`;
  } else if (serverMessage) {
    // The broker's own sentence (`Invalid value bogus for configuration ...`) follows in the details.
    message = `Cannot ${op.verb} ${op.resource}`;
  } else {
    message = `Cannot ${op.verb} ${op.resource}: ${name}`;
  }
  return new ApiError(message, {
    method: op.api,
    url: broker,
    errorCode: code,
    ...(serverMessage ? { serverMessage } : {}),
  });
}

/** A failure that is not an answer from the broker (connection, timeout): our own sentence. */
export function transportFailure(op: Operation, problem: string, broker: string): ApiError {
  return new ApiError(`Cannot ${op.verb} ${op.resource}: ${problem} (${broker})`, { method: op.api, url: broker });
}
