import Database from 'better-sqlite3';
import { workspaceFingerprint } from '../store/fingerprint.js';

/** The fingerprint of a workspace file, read through a read-only connection of its own. */
export function fingerprintOf(file: string): ReturnType<typeof workspaceFingerprint> {
  const db = new Database(file, { readonly: true });
  try {
    return workspaceFingerprint(db);
  } finally {
    db.close();
  }
}
