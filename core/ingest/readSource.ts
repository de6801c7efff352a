import type { TextStream } from './decode.js';
import { readDelimited, type TableCallbacks } from './delimited.js';
import { readJsonLines } from './jsonl.js';
import type { Container } from './sniff.js';
import { readGmcXml } from './xml.js';

/** Streams a decoded file through the reader for its container. */
export function readSource(
  text: TextStream,
  container: Container,
  delimiter: string,
  cb: TableCallbacks,
): Promise<void> {
  if (container === 'xml') return readGmcXml(text, cb);
  if (container === 'jsonl') return readJsonLines(text, cb);
  return readDelimited(text, delimiter, cb);
}
