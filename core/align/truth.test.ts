import { describe, expect, it } from 'vitest';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { pairRecall, pairwiseScores, readTruthClusters, refKey, truthLabels } from './truth.js';

describe('truth', () => {
  const tmp = useTempDir();

  it('reads clusters line by line (the generator layout) or as one JSON document', async () => {
    const lines =
      '{"seed":1,\n"clusters":[\n[{"channel":"a","recordId":"1"},{"channel":"b","recordId":"x"}],\n[{"channel":"a","recordId":"2"}]\n],\n"gaps":[\n]}\n';
    const whole = JSON.stringify({
      clusters: [
        [
          { channel: 'a', recordId: '1' },
          { channel: 'b', recordId: 'x' },
        ],
        [{ channel: 'a', recordId: '2' }],
      ],
    });
    const expected = [
      [
        { channel: 'a', recordId: '1' },
        { channel: 'b', recordId: 'x' },
      ],
      [{ channel: 'a', recordId: '2' }],
    ];
    expect(await readTruthClusters(writeTemp(tmp(), 't1.json', lines))).toEqual(expected);
    expect(await readTruthClusters(writeTemp(tmp(), 't2.json', whole))).toEqual(expected);
    await expect(readTruthClusters(writeTemp(tmp(), 't3.json', '{"x":1}'))).rejects.toThrow(/no "clusters"/);
  });

  it('scores a clustering pairwise and a candidate set by recall', () => {
    const truth = truthLabels(
      [
        [
          { channel: 'a', recordId: '1' },
          { channel: 'b', recordId: '1' },
          { channel: 'c', recordId: '1' },
        ],
        [{ channel: 'a', recordId: '2' }],
      ],
      5,
      (i) => [refKey('a', '1'), refKey('b', '1'), refKey('c', '1'), refKey('a', '2'), refKey('z', '9')][i],
    );
    expect(Array.from(truth)).toEqual([0, 0, 0, 1, -1]);
    // Predicted: {0,1} {2,3} {4}: 1 correct pair of 2 predicted (unknown record 4 left out), of 3 true pairs.
    const s = pairwiseScores(Int32Array.from([0, 0, 2, 2, 2]), truth);
    expect(s).toMatchObject({ truePairs: 3, predictedPairs: 2, correctPairs: 1, precision: 0.5 });
    expect(s.recall).toBeCloseTo(1 / 3);
    expect(pairRecall(Int32Array.from([0, 1]), Int32Array.from([1, 3]), truth)).toEqual({
      recall: 1 / 3,
      found: 1,
      truePairs: 3,
    });
  });
});
