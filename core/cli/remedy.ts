/** Remedies (core/model/remedy.ts) in the CLI's words: its commands and flags. */
import type { Remedy } from '../model/remedy.js';

export function cliRemedy(remedy: Remedy): string {
  switch (remedy.do) {
    case 'replace':
      return 'use --replace to import it again';
    case 'otherChannelOrReplace':
      return 'import into another channel or use --replace to replace that source';
    case 'encoding':
      return `pass --encoding ${remedy.encoding}`;
    case 'onDuplicate':
      return 'import with --on-duplicate warn, first or last to keep one';
    case 'map':
      return `map one with --map ${remedy.target}=<column>`;
    case 'format':
      return 'name one with --format, or map the columns with --format csv --map recordId=<column> …';
    case 'align':
      return 'run `concord align WS` first';
    case 'alignThenDetect':
      return 'run `concord align WS` first (or detect gaps with --align)';
    case 'detectGaps':
      return 'run `concord gaps WS` first';
    case 'buildGraph':
      return 'run `concord graph build WS` first';
  }
}
