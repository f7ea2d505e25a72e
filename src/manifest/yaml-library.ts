/**
 * The `yaml` library, reached through a call so that a run which never needs it never loads it:
 * plain manifests are read by `yaml-fast.ts`, and the library parses a file only for what the
 * fast path leaves (anchors, block scalars, errors) or for a message's line and column.
 *
 * Here it is an ordinary import (tests, the Action's one-file bundle). The CLI bundle replaces
 * this module with one that `require`s the library, bundled into a file of its own, on the first
 * call (scripts/bundle-cli.mjs): its ~250 KB then cost nothing at start-up.
 */
import * as yaml from 'yaml';

/** The library's exports. */
export type YamlLibrary = typeof yaml;

/** The `yaml` library. */
export function yamlLibrary(): YamlLibrary {
  return yaml;
}
