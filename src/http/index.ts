/** The HTTP layer shared by the REST v3 and DigitalOcean targets. */
export { HttpClient, consumeJson } from './client.js';
export { parseStreamedList, type ElementReader, type StreamedList } from './json-list.js';
export { ByteStrings, JsonBytes, NameSet, ReadStop } from './json-bytes.js';
export type {
  ApiErrorDetails,
  BodyConsumer,
  HttpAuth,
  HttpClientOptions,
  HttpFailure,
  HttpMethod,
  HttpRequest,
  HttpResponse,
} from './client.js';
export { DEFAULT_RETRY, isRetriableNetworkError, isRetriableStatus, parseRetryAfter, retryDelay, retryLine } from './retry.js';
export type { RetryNotice, RetryOptions } from './retry.js';
export { encodeQuery, encodeSegment, path } from './url.js';
export type { Query, QueryValue } from './url.js';
export { USER_AGENT, VERSION } from './version.js';
