/**
 * A product record's variant options as alignment reads them: the stored JSON parsed, with the colour its title
 * states when the options state none (variants.ts withTitleColour), raw and in canonical form.
 */
import { parseOptions } from '../store/records.js';
import { canonicalOptions, titleColour, withTitleColour } from './variants.js';

/** A record's variant options as stored (parsed JSON) and in canonical form (canonicalOptions). */
export interface RecordOptions {
  raw: Record<string, string> | null;
  canonical: Record<string, string> | null;
}
const NO_OPTIONS: RecordOptions = { raw: null, canonical: null };

/**
 * Reads records' options in turn. Options are parsed once per distinct JSON text and title colour (a catalogue
 * repeats a few thousand option sets over its records), so records with the same options share the (read-only)
 * objects; variants of one product share a title, so the previous record's colour is reused.
 */
export class RecordOptionsReader {
  private readonly byKey = new Map<string, RecordOptions>();
  private lastTitle: string | null = null;
  private lastColour: string | null = null;

  of(title: string | null, json: string | null): RecordOptions {
    if (title !== this.lastTitle) {
      this.lastTitle = title;
      this.lastColour = titleColour(title);
    }
    const key = this.lastColour === null ? (json ?? '') : `${json ?? ''}\u0000${this.lastColour}`;
    let options = this.byKey.get(key);
    if (options === undefined) {
      const raw = withTitleColour(title, parseOptions(json), this.lastColour);
      options = raw ? { raw, canonical: canonicalOptions(raw) } : NO_OPTIONS;
      this.byKey.set(key, options);
    }
    return options;
  }
}
