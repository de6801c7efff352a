/** Saves text as a file through the browser's download (web mode) or Electron's save handling. */
export function saveTextFile(fileName: string, mimeType: string, content: string): void {
  saveBlob(fileName, new Blob([content], { type: mimeType || 'text/plain' }));
}

/** Saves a blob (text, an image) as a file. */
export function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once started.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
