import type { Migration } from '../migrate.js';

/**
 * Possible matches (DESIGN.md "Gaps", absences): where gap detection would report a product missing from a channel
 * but that channel has a record the matcher found close, the pair is kept here for review on the Matches page
 * instead of being reported as a gap. Rewritten by every detection.
 */
export const possibleMatches: Migration = {
  version: 6,
  name: 'possible-matches',
  up: `
    -- a: a record of the product; b: the close record of the channel it seemed missing from (records.id both).
    CREATE TABLE possible_matches (
      a INTEGER NOT NULL,
      b INTEGER NOT NULL,
      probability REAL NOT NULL,
      PRIMARY KEY (a, b)
    );
  `,
};
