/**
 * How better-sqlite3's native addon is loaded, for every connection Concord opens (workspaces and their write lock).
 *
 * SQLite reads `file:` URIs only when told so as the addon loads; a read-only workspace in a read-only folder needs
 * one (`?immutable=1`, workspace.ts). Set here, before any connection exists. Workspace paths are opened absolute,
 * so no plain path is taken for a URI.
 */
process.env.SQLITE_USE_URI ??= '1';

/**
 * Under Electron the worker runs Electron's Node, whose ABI differs from the one node_modules' better-sqlite3 was
 * built for; `npm start` builds a second copy for Electron and passes its path here (scripts/electron-native.mjs).
 */
export function sqliteNativeBinding(): string | undefined {
  return process.env.CONCORD_SQLITE_BINDING || undefined;
}
