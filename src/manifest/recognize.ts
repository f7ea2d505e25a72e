/**
 * Telling our manifests from other YAML found in a directory walk (CI workflows, Helm values,
 * compose files). Skipping a manifest by mistake plans the deletion of everything it declares, so
 * the test is generous: a file is ours when any document in it looks like a kafkaform document,
 * even with a misspelt or missing `apiVersion`, and is then checked in full, where a wrong
 * `apiVersion` is an error.
 */
import { editDistance } from '../kafka/suggest.js';
import type { ParsedDocument } from './yaml.js';

/** The top-level sections of a manifest besides `apiVersion`. */
const SECTIONS = ['clusters', 'scope', 'topicDefaults', 'topics', 'acls', 'overlays', 'configKeys'].map(normalise);

/** Lower case, letters and digits only: `topic_defaults`, `TopicDefaults` and `topicDefaults` meet. */
function normalise(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `apiVersion` in any case or spelling close to it (`apiversion`, `api_version`, `apiVerison`). */
function isApiVersionKey(key: string): boolean {
  return editDistance(normalise(key), 'apiversion') <= 2;
}

/** A value naming kafkaform, or close to `kafkaform/v1` (`kafkaform.io/v1`, `kafkafrom/v1`). */
function namesKafkaform(value: string): boolean {
  const v = normalise(value);
  return v.includes('kafkaform') || editDistance(v, 'kafkaformv1') <= 2;
}

/** Whether one top-level entry (key and scalar value as text) marks a kafkaform document. */
function marksOurs(key: string, value: string | undefined): boolean {
  if (SECTIONS.includes(normalise(key))) return true;
  return isApiVersionKey(key) && value !== undefined && namesKafkaform(value);
}

/**
 * Top-level keys and their values as written, read from the text line by line: a file that is not
 * valid YAML (a Helm template, or a manifest with a syntax error) yields no documents, and a
 * manifest must not be skipped for a syntax error. A key at column 0 is a key of a top-level map.
 */
function topLevelEntries(text: string): Array<[string, string | undefined]> {
  const entries: Array<[string, string | undefined]> = [];
  for (const match of text.matchAll(/^("[^"\n]*"|'[^'\n]*'|[A-Za-z_$][^\s:#]*)[ \t]*:(?:[ \t]+([^\n]*?))?\r?$/gm)) {
    const key = (match[1] ?? '').replace(/^["']|["']$/g, '');
    const value = match[2]?.replace(/\s#.*$/, '').trim().replace(/^["']|["']$/g, '');
    entries.push([key, value]);
  }
  return entries;
}

/**
 * True when a YAML file found in a directory looks like a kafkaform manifest: any document (parsed,
 * or for unparsable text, any line at column 0) has one of our top-level sections, or an
 * `apiVersion`-like key whose value names kafkaform.
 */
export function looksLikeManifest(documents: readonly ParsedDocument[], text: string): boolean {
  for (const doc of documents) {
    const v = doc.value;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
    for (const [key, value] of Object.entries(v)) {
      if (marksOurs(key, typeof value === 'string' ? value : undefined)) return true;
    }
  }
  return topLevelEntries(text).some(([key, value]) => marksOurs(key, value));
}
