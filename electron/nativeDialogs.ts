/**
 * Native message boxes and file pickers, modal to a given window when there is one. Their options are built in
 * dialogOptions.ts (pure, tested); this file only shows them.
 */
import { dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { ApiError } from '../core/api/contract.js';
import {
  createWorkspaceDialog,
  importFilesDialog,
  openWorkspaceDialog,
  withWorkspaceExtension,
} from './dialogOptions.js';
import type { WorkspaceDialogMode } from './ipc.js';

/** The message of an API error or any thrown value. */
export function describeError(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err) return String((err as ApiError).message);
  return String(err);
}

export async function showError(win: BrowserWindow | null, title: string, err: unknown): Promise<void> {
  const options = {
    type: 'error' as const,
    title,
    message: title,
    detail: describeError(err),
    buttons: ['OK'],
  };
  await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

export async function showInfo(win: BrowserWindow | null, title: string, detail: string): Promise<void> {
  const options = { type: 'info' as const, title, message: title, detail, buttons: ['OK'] };
  await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

/** Asks for a workspace to open, or where to create one; null when cancelled. */
export async function pickWorkspacePath(
  mode: WorkspaceDialogMode,
  win: BrowserWindow | null,
  folder: string,
): Promise<string | null> {
  if (mode === 'open') {
    const options = openWorkspaceDialog(folder);
    const r = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
    return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
  }
  const options = createWorkspaceDialog(join(folder, 'Untitled.concord'));
  const r = await (win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options));
  return r.canceled || !r.filePath ? null : withWorkspaceExtension(r.filePath);
}

/** Asks for channel exports to import; [] when cancelled. */
export async function pickImportFiles(win: BrowserWindow | null): Promise<string[]> {
  const options = importFilesDialog();
  const r = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
  return r.canceled ? [] : r.filePaths;
}
