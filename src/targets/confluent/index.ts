/** The Confluent REST v3 target. */
export { confluentKind, CONFLUENT_CAPABILITIES, CONFLUENT_MANAGED_PREFIXES } from './kind.js';
export { ConfluentTarget, type HttpOverrides } from './target.js';
export { parseConfluentSettings, type ConfluentSettings } from './settings.js';
