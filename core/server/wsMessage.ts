import { MalformedMessage } from '../rpc/server.js';

/** Requests are small JSON documents; anything bigger is refused with an error response. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Deepest nesting of arrays and objects a message may have. The contract's deepest params sit a few levels down;
 * thousands of levels overflow the stack of whatever walks the value next (Node IPC's serializer did).
 */
export const MAX_MESSAGE_DEPTH = 64;

/**
 * One WebSocket frame as the message it carries, or a MalformedMessage (answered with BAD_INPUT) when it is binary,
 * over `maxBytes`, nested deeper than MAX_MESSAGE_DEPTH or not JSON. Size and depth are checked on the raw text
 * before anything parses it.
 */
export function decodeClientFrame(bytes: Buffer, isBinary: boolean, maxBytes: number): unknown {
  if (isBinary)
    return new MalformedMessage(-1, 'binary messages are not accepted: send each request as JSON text');
  if (bytes.length > maxBytes)
    return new MalformedMessage(
      peekId(bytes.subarray(0, PEEK_BYTES).toString('utf8')),
      `message is ${bytes.length} bytes; the limit is ${maxBytes}`,
    );
  const text = bytes.toString('utf8');
  if (nestsDeeperThan(text, MAX_MESSAGE_DEPTH))
    return new MalformedMessage(peekId(text), `message nests deeper than ${MAX_MESSAGE_DEPTH} levels`, {
      limit: MAX_MESSAGE_DEPTH,
    });
  try {
    return JSON.parse(text);
  } catch (err) {
    return new MalformedMessage(-1, `message is not valid JSON (${(err as Error).message})`);
  }
}

/**
 * Whether JSON text opens more than `limit` arrays or objects at once: one pass with a counter, no recursion, so
 * any input is scanned in linear time and constant stack. Brackets inside strings do not count. The text need not
 * be valid JSON (JSON.parse judges that afterwards).
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}

/** How much of a refused message is searched for its id. */
const PEEK_BYTES = 4096;

/** The request id of a message that could not be parsed as one, when its start shows it: else -1. */
function peekId(text: string): number {
  const m = /"id"\s*:\s*(-?\d{1,15})\s*[,}]/.exec(text.slice(0, PEEK_BYTES));
  return m ? Number(m[1]) : -1;
}
