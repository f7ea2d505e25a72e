// PLACEHOLDER while the manifest work lands: the catalog and normalisation are filled in there.
/** Canonical Kafka string for a live config value (lenient: the server's spelling). */
export function canonicalConfigValue(key: string, value: string): string {
  void key;
  return value;
}
