/**
 * Files on their way into the workspace, one card each: picked or dropped -> uploaded (web mode) -> previewed ->
 * imported as a job. Kept outside the page so uploads and imports go on while the user looks elsewhere.
 * The job's own state (progress, result, error) is read from the jobs store by the card, not copied here.
 */
import {
  defaultChannelOf,
  type ApiError,
  type ChannelFormat,
  type FileRef,
  type ImportPreview,
  type OnDuplicate,
} from '../../../core/api/contract';
import { electronBridge, invoke, webSession } from '../api/client';
import type { WebSession } from '../api/session';
import { toApiError } from '../api/transport';
import { createStore } from '../lib/store';
import { showError, showToast } from './toasts';

export const FORMAT_LABELS: Record<string, string> = {
  shopify: 'Shopify',
  woocommerce: 'WooCommerce',
  gmc: 'Google Merchant Center',
  amazon: 'Amazon listings',
  csv: 'Generic CSV',
  jsonl: 'JSON Lines',
};

export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'gb18030'] as const;

/** What a later row repeating a record id does (the contract's OnDuplicate), as the Import page offers it. */
export const ON_DUPLICATE_LABELS: Record<OnDuplicate, string> = {
  warn: 'Warn (default)',
  first: 'Keep the first',
  last: 'Keep the last',
  error: 'Refuse the file',
};

/** The longer story of each choice (the select's tooltip). */
export const ON_DUPLICATE_HINTS: Record<OnDuplicate, string> = {
  warn: "The later row takes the format's fallback id (Shopify: handle and options; WooCommerce: ID), else the first row's record stands; a warning for each",
  first: "The first row's record stands; later rows keep only their raw text, without warnings",
  last: "The last row's record stands; earlier ones keep only their raw text, without warnings",
  error: 'A repeated record id refuses the whole file',
};

/** The channel a format's records belong to unless the user names another (the contract's one table). */
export function defaultChannel(format: string | null): string {
  return format === null ? '' : defaultChannelOf(format);
}

export type ImportStage = 'uploading' | 'previewing' | 'ready' | 'starting' | 'started';

export interface ImportItem {
  key: string;
  name: string;
  /** Bytes, when known before the preview (web uploads). */
  size: number | null;
  stage: ImportStage;
  upload: { sent: number; total: number } | null;
  fileRef: FileRef | null;
  preview: ImportPreview | null;
  /** The upload or preview call failed, or the preview found the file unreadable. */
  previewError: ApiError | null;
  /** '' = as detected. */
  encoding: string;
  format: ChannelFormat | '';
  channel: string;
  /** The user typed a channel name: stop following the detected format. */
  channelEdited: boolean;
  replace: boolean;
  onDuplicate: OnDuplicate;
  jobId: string | null;
  /** import.start itself was refused (the job's own failure is on the job). */
  startError: ApiError | null;
}

export const imports = createStore<ImportItem[]>([]);
const uploads = new Map<string, AbortController>();
/** Web mode: the picked files, to upload again after an import (the server deletes an upload once imported). */
const picked = new Map<string, File>();
let nextKey = 1;

function update(key: string, patch: Partial<ImportItem> | ((item: ImportItem) => Partial<ImportItem>)): void {
  imports.set((list) =>
    list.map((item) =>
      item.key === key ? { ...item, ...(typeof patch === 'function' ? patch(item) : patch) } : item,
    ),
  );
}

function get(key: string): ImportItem | undefined {
  return imports.get().find((i) => i.key === key);
}

function newItem(name: string, size: number | null, stage: ImportStage, fileRef: FileRef | null): ImportItem {
  return {
    key: `f${nextKey++}`,
    name,
    size,
    stage,
    upload: stage === 'uploading' && size !== null ? { sent: 0, total: size } : null,
    fileRef,
    preview: null,
    previewError: null,
    encoding: '',
    format: '',
    channel: '',
    channelEdited: false,
    replace: false,
    onDuplicate: 'warn',
    jobId: null,
    startError: null,
  };
}

async function runPreview(key: string): Promise<void> {
  const item = get(key);
  if (!item?.fileRef) return;
  update(key, { stage: 'previewing', previewError: null });
  try {
    const preview = await invoke('import.preview', {
      file: item.fileRef,
      rows: 20,
      ...(item.encoding ? { encoding: item.encoding } : {}),
    });
    update(key, (cur) => ({
      stage: 'ready',
      preview,
      previewError: preview.error ?? null,
      channel: cur.channelEdited ? cur.channel : defaultChannel(cur.format || preview.format),
    }));
  } catch (err) {
    update(key, { stage: 'ready', previewError: toApiError(err) });
  }
}

/** Web mode: upload each File, then preview it. */
export function addFiles(files: File[]): void {
  const session = webSession();
  const bridge = electronBridge();
  if (!session) {
    // Electron: a dropped File is only useful through its path.
    const paths = files.map((f) => bridge?.getPathForFile?.(f) ?? '').filter(Boolean);
    if (paths.length < files.length) {
      showToast(
        'error',
        'Cannot read dropped files here',
        'Use “Choose files…” (Ctrl+O) to pick the exports instead.',
      );
    }
    addPaths(paths);
    return;
  }
  const items = files.map((f) => ({ file: f, item: newItem(f.name, f.size, 'uploading', null) }));
  imports.set((list) => [...items.map((x) => x.item), ...list]);
  for (const { file, item } of items) {
    picked.set(item.key, file);
    void uploadItem(item.key, session).then((ok) => (ok ? runPreview(item.key) : undefined));
  }
}

/** Uploads an item's file (web mode): true once its upload id is on the item. */
async function uploadItem(key: string, session: WebSession): Promise<boolean> {
  const file = picked.get(key);
  if (!file) return false;
  const ctrl = new AbortController();
  uploads.set(key, ctrl);
  update(key, { stage: 'uploading', upload: { sent: 0, total: file.size } });
  let lastPaint = 0;
  try {
    const r = await session.upload(
      file,
      (sent, total) => {
        const now = performance.now();
        if (now - lastPaint < 50 && sent < total) return;
        lastPaint = now;
        update(key, { upload: { sent, total } });
      },
      ctrl.signal,
    );
    update(key, { fileRef: { uploadId: r.uploadId }, size: r.size });
    return true;
  } catch (err) {
    if (!ctrl.signal.aborted) update(key, { stage: 'ready', previewError: toApiError(err) });
    return false;
  } finally {
    uploads.delete(key);
  }
}

/** Electron: files by absolute path. */
export function addPaths(paths: string[]): void {
  const items = paths.map((p) => newItem(p.split(/[\\/]/).pop() || p, null, 'previewing', { path: p }));
  imports.set((list) => [...items, ...list]);
  for (const item of items) void runPreview(item.key);
}

/** Opens the file picker (Ctrl+O): the native dialog in Electron, an <input type=file multiple> in the browser. */
export async function pickFilesForImport(): Promise<void> {
  const bridge = electronBridge();
  if (bridge?.pickFiles) {
    try {
      addPaths(await bridge.pickFiles());
    } catch (err) {
      showError('Could not open the file dialog', err);
    }
    return;
  }
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = true;
  input.accept = '.csv,.tsv,.txt,.xml,.jsonl,.json,text/csv,text/tab-separated-values';
  input.addEventListener('change', () => {
    if (input.files && input.files.length > 0) addFiles([...input.files]);
  });
  input.click();
}

export function setEncoding(key: string, encoding: string): void {
  update(key, { encoding });
  void runPreview(key);
}

export function setFormat(key: string, format: ChannelFormat | ''): void {
  update(key, (item) => ({
    format,
    channel: item.channelEdited ? item.channel : defaultChannel(format || item.preview?.format || null),
  }));
}

export function setChannel(key: string, channel: string): void {
  update(key, { channel, channelEdited: true });
}

export function setReplace(key: string, replace: boolean): void {
  update(key, { replace });
}

export function setOnDuplicate(key: string, onDuplicate: OnDuplicate): void {
  update(key, { onDuplicate });
}

export function retryPreview(key: string): void {
  void runPreview(key);
}

export async function startImport(key: string): Promise<void> {
  const item = get(key);
  if (!item?.fileRef || item.stage !== 'ready') return;
  const channel = item.channel.trim();
  if (!channel) {
    update(key, {
      startError: {
        code: 'BAD_INPUT',
        message: 'Name the channel these records belong to.',
        details: { field: 'channel' },
      },
    });
    return;
  }
  update(key, { stage: 'starting', startError: null });
  try {
    const { jobId } = await invoke('import.start', {
      file: item.fileRef,
      channel,
      ...(item.format ? { format: item.format } : {}),
      ...(item.encoding ? { encoding: item.encoding } : {}),
      ...(item.replace ? { replace: true } : {}),
      ...(item.onDuplicate !== 'warn' ? { onDuplicate: item.onDuplicate } : {}),
    });
    update(key, { stage: 'started', jobId });
  } catch (err) {
    update(key, { stage: 'ready', startError: toApiError(err) });
  }
}

/** Back to the options after a failed or cancelled import, to change them and try again. */
export function editAgain(key: string): void {
  update(key, { stage: 'ready', jobId: null, startError: null });
  const session = webSession();
  if (session && picked.has(key))
    void uploadItem(key, session).then((ok) => ok && update(key, { stage: 'ready', upload: null }));
}

export function removeItem(key: string): void {
  uploads.get(key)?.abort();
  uploads.delete(key);
  picked.delete(key);
  imports.set((list) => list.filter((i) => i.key !== key));
}

export function clearFinished(keys: string[]): void {
  const drop = new Set(keys);
  for (const key of keys) picked.delete(key);
  imports.set((list) => list.filter((i) => !drop.has(i.key)));
}
