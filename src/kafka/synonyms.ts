/**
 * A broker-level synonym may carry the value in another unit than the topic key: Kafka reports
 * `retention.ms` inherited from `log.retention.hours` = 168, `segment.ms` from `log.roll.hours`.
 * Returns the value in the topic key's unit.
 */
export function synonymValue(key: string, synonymName: string, value: string | null): string | null {
  if (value === null || !key.endsWith('.ms') || !/^-?\d+$/.test(value)) return value;
  const factor = synonymName.endsWith('.hours') ? 3_600_000n : synonymName.endsWith('.minutes') ? 60_000n : 1n;
  if (factor === 1n || value.startsWith('-')) return value;
  return (BigInt(value) * factor).toString();
}
