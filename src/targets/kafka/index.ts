/** The native Kafka target: Kafka's own protocol, through `@platformatic/kafka`. */
export { kafkaKind, KAFKA_CAPABILITIES } from './kind.js';
export { KafkaTarget, type KafkaOverrides } from './target.js';
export { KafkaClient } from './client.js';
export { parseKafkaSettings, type KafkaSettings } from './settings.js';
