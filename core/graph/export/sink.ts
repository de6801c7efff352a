/**
 * A file written in pieces with backpressure: text is gathered into chunks of about CHUNK_CHARS and each chunk is
 * written only once the stream has drained the one before, so an export of millions of rows never holds more than
 * a chunk in memory and never builds one giant string.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

const CHUNK_CHARS = 1 << 16;

export class FileSink {
  private readonly stream: WriteStream;
  private pending: string[] = [];
  private pendingChars = 0;
  private failure: Error | null = null;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.stream.on('error', (err) => (this.failure = err));
  }

  /** Adds `text`; resolves at once unless a full chunk had to wait for the disk. */
  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= CHUNK_CHARS) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
    if (this.failure) throw this.failure;
  }

  /** Stops writing after a failure elsewhere; the partial file is left for the caller to remove. */
  destroy(): void {
    this.stream.destroy();
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}
