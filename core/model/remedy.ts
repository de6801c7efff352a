/**
 * What a person can do about an error, as data: core names the remedy in `details.remedy` and each host words it in
 * its own terms (the CLI names its flags, core/cli/remedy.ts; the GUI its controls, renderer/src/api/errorText.ts).
 * Messages from core say what went wrong and never name a flag or a button.
 */
import type { ErrorDetails } from './errors.js';

export type Remedy =
  /** Import the same file again, replacing the earlier import of it. */
  | { do: 'replace' }
  /** Import into another channel, or replace the source that holds the clashing record ids. */
  | { do: 'otherChannelOrReplace' }
  /** Read the file in this encoding. */
  | { do: 'encoding'; encoding: string }
  /** Say which of the rows that repeat a record id stands. */
  | { do: 'onDuplicate' }
  /** Map a column to this field (generic formats). */
  | { do: 'map'; target: string }
  /** Name the export's format, or map its columns. */
  | { do: 'format' }
  /** Align the records first. */
  | { do: 'align' }
  /** Align first, or let gap detection align. */
  | { do: 'alignThenDetect' }
  /** Detect gaps first. */
  | { do: 'detectGaps' }
  /** Build the knowledge graph first. */
  | { do: 'buildGraph' };

export type RemedyKind = Remedy['do'];

/** Every remedy kind, so each host's wording can be checked for all of them. */
export const REMEDY_KINDS = [
  'replace',
  'otherChannelOrReplace',
  'encoding',
  'onDuplicate',
  'map',
  'format',
  'align',
  'alignThenDetect',
  'detectGaps',
  'buildGraph',
] as const satisfies readonly RemedyKind[];

/** The remedy an error's details carry, when it is one (details cross process boundaries as plain JSON). */
export function remedyOf(details: ErrorDetails | Record<string, unknown> | undefined): Remedy | null {
  const r = details?.remedy as { do?: unknown; encoding?: unknown; target?: unknown } | undefined;
  if (!r || typeof r !== 'object' || typeof r.do !== 'string') return null;
  if (r.do === 'encoding')
    return typeof r.encoding === 'string' ? { do: 'encoding', encoding: r.encoding } : null;
  if (r.do === 'map') return typeof r.target === 'string' ? { do: 'map', target: r.target } : null;
  return (REMEDY_KINDS as readonly string[]).includes(r.do) ? ({ do: r.do } as Remedy) : null;
}

/** `message` followed by the remedy in one host's words. */
export function withRemedy(
  message: string,
  details: ErrorDetails | Record<string, unknown> | undefined,
  word: (remedy: Remedy) => string,
): string {
  const remedy = remedyOf(details);
  return remedy === null ? message : `${message}; ${word(remedy)}`;
}
