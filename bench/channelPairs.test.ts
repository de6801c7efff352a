import { describe, expect, it } from 'vitest';
import { pairwiseScores } from '../core/align/truth.js';
import { channelPairScores } from './channelPairs.js';

describe('channelPairScores', () => {
  // records: 0 a/shopify 1 a/woo 2 a/google 3 b/shopify 4 b/woo 5 unknown/google
  const channel = Int32Array.from([0, 1, 2, 0, 1, 2]);
  const truth = Int32Array.from([0, 0, 0, 1, 1, -1]);
  const names = ['shopify', 'woocommerce', 'google'];

  it('counts true, predicted and correct pairs per channel pair', () => {
    // alignment: a's google record joined b; unknown record with b
    const predicted = Int32Array.from([10, 10, 20, 20, 20, 20]);
    const scores = channelPairScores(predicted, truth, channel, names);
    const by = Object.fromEntries(scores.map((s) => [s.channels.join('~'), s]));
    expect(by['shopify~woocommerce']).toMatchObject({
      truePairs: 2,
      predictedPairs: 2,
      correctPairs: 2,
      recall: 1,
    });
    expect(by['shopify~google']).toMatchObject({
      truePairs: 1,
      predictedPairs: 1,
      correctPairs: 0,
      recall: 0,
      precision: 0,
    });
    expect(by['woocommerce~google']).toMatchObject({ truePairs: 1, predictedPairs: 1, correctPairs: 0 });
  });

  it('adds up to the overall pairwise counts when every true cluster has one record per channel', () => {
    const predicted = Int32Array.from([1, 1, 2, 2, 2, 3]);
    const per = channelPairScores(predicted, truth, channel, names);
    const all = pairwiseScores(predicted, truth);
    expect(per.reduce((s, x) => s + x.truePairs, 0)).toBe(all.truePairs);
    expect(per.reduce((s, x) => s + x.correctPairs, 0)).toBe(all.correctPairs);
    expect(per.reduce((s, x) => s + x.predictedPairs, 0)).toBe(all.predictedPairs);
  });
});
