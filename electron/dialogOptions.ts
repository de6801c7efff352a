/**
 * Options of Concord's native dialogs (workspaces and import files). Pure data built here so it is testable;
 * main.ts passes it to dialog.showOpenDialog / showSaveDialog.
 */
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { extname } from 'node:path';

export const WORKSPACE_EXTENSION = 'concord';
/** What "Import Files…" offers: the container formats core/ingest reads (CSV/TSV/TXT, XML feeds, JSON Lines). */
export const IMPORT_EXTENSIONS = ['csv', 'tsv', 'txt', 'xml', 'jsonl'] as const;

export const WORKSPACE_FILTERS = [{ name: 'Concord workspace', extensions: [WORKSPACE_EXTENSION] }];
export const IMPORT_FILTERS = [
  { name: 'Channel exports (CSV, TSV, TXT, XML, JSONL)', extensions: [...IMPORT_EXTENSIONS] },
  { name: 'All files', extensions: ['*'] },
];

export function openWorkspaceDialog(defaultPath?: string): OpenDialogOptions {
  return {
    title: 'Open Workspace',
    buttonLabel: 'Open',
    properties: ['openFile'],
    filters: WORKSPACE_FILTERS,
    ...(defaultPath ? { defaultPath } : {}),
  };
}

export function createWorkspaceDialog(defaultPath: string): SaveDialogOptions {
  return {
    title: 'New Workspace',
    buttonLabel: 'Create',
    defaultPath,
    filters: WORKSPACE_FILTERS,
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}

export function importFilesDialog(defaultPath?: string): OpenDialogOptions {
  return {
    title: 'Import Files',
    buttonLabel: 'Import',
    properties: ['openFile', 'multiSelections'],
    filters: IMPORT_FILTERS,
    ...(defaultPath ? { defaultPath } : {}),
  };
}

/** A save dialog may return a name without the extension (Linux): make it a `.concord` file. */
export function withWorkspaceExtension(path: string): string {
  return extname(path).toLowerCase() === `.${WORKSPACE_EXTENSION}` ? path : `${path}.${WORKSPACE_EXTENSION}`;
}
