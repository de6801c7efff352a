// RecordProfiles builds each distinct option object's part of a profile once, and a run of records with one
// title reads its model codes once: the profiles must be those of records that share nothing.
import { describe, expect, it } from 'vitest';
import { alignRecord } from '../test-support/alignRecord.js';
import { RecordProfiles, type AlignRecord } from './recordPairs.js';
import { modelCodes, squash } from './text.js';

const TITLES = [
  'Carhartt K87 Pocket T-Shirt',
  'Carhartt K87 Pocket T-Shirt',
  'Carhartt K87 Pocket T-Shirt',
  'Kingston Canvas Go! Plus 128GB SDXC SDC3K2',
  'Carhartt K87 Pocket T-Shirt',
  'Kettle 1.7 L KT-200',
];

function records(options: (i: number) => Record<string, string> | null): AlignRecord[] {
  return TITLES.map((title, i) => alignRecord(i + 1, i % 3, title, { options: options(i) }));
}

/** Every typed array and string list of a profile, by name. */
function fields(p: RecordProfiles): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p))
    if (ArrayBuffer.isView(v) || Array.isArray(v)) out[k] = Array.from(v as ArrayLike<unknown>);
  out.grams = [0, 1, 2, 3, 4, 5].map((i) => [0, 1, 2, 3, 4, 5].map((j) => p.grams.cosine(i, j)));
  return out;
}

describe('RecordProfiles', () => {
  it('profiles records that share option objects as records with their own copies', () => {
    const sets = [{ Size: 'M', Color: 'Heather Grey' }, { Size: 'L', Color: 'Slate Blue' }, null];
    const shared = new RecordProfiles(records((i) => sets[i % 3]));
    const copied = new RecordProfiles(records((i) => (sets[i % 3] ? { ...sets[i % 3] } : null)));
    expect(fields(shared)).toEqual(fields(copied));
    expect(shared.optKey.length).toBeGreaterThan(0);
  });

  it('gives every record of a run with one title that title’s model codes and squashed text', () => {
    const p = new RecordProfiles(records(() => null));
    TITLES.forEach((title, i) => {
      const codes = Array.from(p.codeId.subarray(p.codeStart[i], p.codeStart[i + 1]), (c) => p.codes[c]);
      expect(codes.sort()).toEqual([...new Set(modelCodes(title))].sort());
      expect(p.squashedText[i]).toBe(squash(title));
    });
  });
});
