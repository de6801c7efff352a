import { describe, expect, it } from 'vitest';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { openWorkspace } from '../store/workspace.js';
import { join } from 'node:path';
import { addLabels, countLabels, currentLabels, pairKey, readLabelsFile, undoLastBatch } from './labels.js';

const A = { channel: 'shopify', recordId: 'SKU-1' };
const B = { channel: 'google', recordId: 'G-1' };
const C = { channel: 'woocommerce', recordId: 'W-1' };

describe('match labels', () => {
  const tmp = useTempDir();

  it('stores labels in batches; the latest label of a pair wins; undo takes the last batch back', () => {
    const ws = openWorkspace(join(tmp(), 'l.concord'), { create: true });
    try {
      expect(addLabels(ws.db, [{ a: A, b: B, label: 'match' }], 'user')).toBe(1);
      addLabels(
        ws.db,
        [
          { a: B, b: A, label: 'no_match' },
          { a: A, b: C, label: 'no_match' },
        ],
        'split',
      );
      expect(countLabels(ws.db)).toBe(2);
      const now = currentLabels(ws.db);
      expect(now.find((l) => pairKey(l.a, l.b) === pairKey(A, B))).toMatchObject({
        label: 'no_match',
        source: 'split',
      });
      // (a, b) and (b, a) are one pair, stored in canonical order.
      expect(pairKey(A, B)).toBe(pairKey(B, A));
      const undone = undoLastBatch(ws.db);
      expect(undone).toHaveLength(2);
      expect(currentLabels(ws.db)).toMatchObject([{ label: 'match', source: 'user' }]);
      addLabels(ws.db, [{ a: A, b: C, label: 'skip' }], 'user');
      expect(countLabels(ws.db)).toBe(1);
      undoLastBatch(ws.db);
      undoLastBatch(ws.db);
      expect(undoLastBatch(ws.db)).toEqual([]);
      expect(addLabels(ws.db, [], 'user')).toBe(0);
    } finally {
      ws.close();
    }
  });

  it('reads label files (CSV or TSV, label words) and names the line of a bad label', () => {
    const dir = tmp();
    const csv = writeTemp(
      dir,
      'l.csv',
      '\ufeffchannelA,recordIdA,channelB,recordIdB,label\nshopify,SKU-1,google,G-1,match\nshopify,"SKU,2",google,G-2,0\n',
    );
    expect(readLabelsFile(csv)).toEqual([
      { a: A, b: B, label: 'match' },
      {
        a: { channel: 'shopify', recordId: 'SKU,2' },
        b: { channel: 'google', recordId: 'G-2' },
        label: 'no_match',
      },
    ]);
    const tsv = writeTemp(
      dir,
      'l.tsv',
      'channel_a\trecord_id_a\tchannel_b\trecord_id_b\tlabel\nshopify\tSKU-1\tgoogle\tG-1\tyes\n',
    );
    expect(readLabelsFile(tsv)).toHaveLength(1);
    const bad = writeTemp(
      dir,
      'bad.csv',
      'channelA,recordIdA,channelB,recordIdB,label\nshopify,SKU-1,google,G-1,maybe\n',
    );
    expect(() => readLabelsFile(bad)).toThrow(/line 2.*label must be match or no_match/);
    const noHeader = writeTemp(dir, 'nh.csv', 'a,b,c\n');
    expect(() => readLabelsFile(noHeader)).toThrow(/header must have/);
    expect(() => readLabelsFile(join(dir, 'missing.csv'))).toThrow(/no such file/);
  });
});
