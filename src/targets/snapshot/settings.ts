import type { SettingsChecker } from '../settings.js';

/** A `type: snapshot` cluster's one setting: `path`, the snapshot file (relative to the manifest). */
export function checkSnapshotSettings(c: SettingsChecker): void {
  c.text('/path', true);
}
