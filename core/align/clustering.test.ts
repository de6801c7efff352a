import { describe, expect, it } from 'vitest';
import { clusterRecords } from './clustering.js';

const edges = (list: [number, number, number][]) => ({
  a: Int32Array.from(list, (e) => e[0]),
  b: Int32Array.from(list, (e) => e[1]),
  probability: Float64Array.from(list, (e) => e[2]),
});

/** Records by channel index; cluster representative of each record. */
function run(
  channels: number[],
  list: [number, number, number][],
  extra: Partial<Parameters<typeof clusterRecords>[0]> = {},
) {
  return clusterRecords({ channel: Int32Array.from(channels), ...edges(list), threshold: 0.5, ...extra });
}

describe('clusterRecords', () => {
  it('joins strong pairs into one product per record and channel (mutual best match)', () => {
    // 0 (ch0) – 1 (ch1) – 2 (ch2) all strong: one cluster; 3 (ch1) is 0's second-best in ch1: stays alone.
    const r = run(
      [0, 1, 2, 1],
      [
        [0, 1, 0.95],
        [1, 2, 0.9],
        [0, 2, 0.92],
        [0, 3, 0.8],
      ],
    );
    expect(Array.from(r.cluster)).toEqual([0, 0, 0, 3]);
    expect(r.clusters).toBe(2);
    expect(Array.from(r.duplicate)).toEqual([0, 0, 0, 0]);
  });

  it('does not chain weak links: a–b and b–c strong but a–c clearly different', () => {
    const r = run(
      [0, 1, 2],
      [
        [0, 1, 0.9],
        [1, 2, 0.85],
        [0, 2, 0.01],
      ],
    );
    expect(r.cluster[0]).toBe(r.cluster[1]);
    expect(r.cluster[2]).not.toBe(r.cluster[0]);
  });

  it('requires the average link between two clusters to pass the threshold', () => {
    // {0,1} and 2: 1–2 is 0.9 but 0–2 is 0.06: average 0.48 < 0.5.
    const r = run(
      [0, 1, 2],
      [
        [0, 1, 0.99],
        [1, 2, 0.9],
        [0, 2, 0.06],
      ],
    );
    expect(r.cluster[2]).toBe(2);
  });

  it('ignores pairs below the threshold and keeps one record per channel', () => {
    const r = run(
      [0, 1, 1],
      [
        [0, 1, 0.4],
        [0, 2, 0.7],
        [1, 2, 0.99],
      ],
    );
    // 1 and 2 share a channel: never together without a must-link; 0 takes its best (2).
    expect(r.cluster[0]).toBe(r.cluster[2]);
    expect(r.cluster[1]).toBe(1);
  });

  it('applies must-links (flagging channel duplicates), cannot-links and sure conflicts', () => {
    const must = run(
      [0, 0, 1],
      [
        [0, 2, 0.9],
        [1, 2, 0.9],
      ],
      { mustLink: [[0, 1]] },
    );
    expect(new Set(must.cluster).size).toBe(1);
    expect(Array.from(must.duplicate)).toEqual([1, 1, 1]);
    const cannot = run([0, 1], [[0, 1, 0.99]], { cannotLink: [[0, 1]] });
    expect(cannot.clusters).toBe(2);
    const conflict = run([0, 1], [[0, 1, 0.99]], { conflict: (i, j) => i + j === 1 });
    expect(conflict.clusters).toBe(2);
    // A no-match label also stops a must-link.
    const both = run([0, 1], [], { mustLink: [[0, 1]], cannotLink: [[0, 1]] });
    expect(both.clusters).toBe(2);
  });

  it('keeps a record out of a cluster whose record in a channel it was never paired with, when it matches another there', () => {
    // 0 (shopify, Osian) – 1 (google, Osian) by GTIN; 2 (woocommerce, Yarey) looks like 1 (0.98) but was never
    // paired with 0, and matches 3 (shopify, Yarey) at 0.94: it joins 3, not the Osian cluster.
    const r = run(
      [0, 1, 2, 0],
      [
        [0, 1, 1],
        [1, 2, 0.98],
        [2, 3, 0.94],
      ],
    );
    expect(Array.from(r.cluster)).toEqual([0, 0, 2, 2]);
    // Without a strong match elsewhere, the unpaired record is no objection.
    const alone = run(
      [0, 1, 2, 0],
      [
        [0, 1, 1],
        [1, 2, 0.98],
        [2, 3, 0.6],
      ],
    );
    expect(Array.from(alone.cluster)).toEqual([0, 0, 0, 3]);
  });

  it('is deterministic under ties and input order', () => {
    const list: [number, number, number][] = [
      [0, 1, 0.8],
      [0, 2, 0.8],
      [3, 1, 0.8],
    ];
    const x = run([0, 1, 1, 0], list);
    const y = run([0, 1, 1, 0], [...list].reverse());
    expect(Array.from(x.cluster)).toEqual(Array.from(y.cluster));
    expect(Array.from(x.cluster)).toEqual([0, 0, 2, 3]);
  });

  it('lets a near-certain link outweigh a near-certain "different", and vetoes a weaker one', () => {
    // 1 and 2 are one product for sure; 0 is 1's twin (0.997) while the matcher doubts 0–2 (0.005).
    expect(
      Array.from(
        run(
          [0, 1, 2],
          [
            [1, 2, 1],
            [0, 1, 0.997],
            [0, 2, 0.005],
          ],
        ).cluster,
      ),
    ).toEqual([0, 0, 0]);
    // A merely likely link (0.9) against the same doubt: the veto stands.
    expect(
      Array.from(
        run(
          [0, 1, 2],
          [
            [1, 2, 1],
            [0, 1, 0.9],
            [0, 2, 0.005],
          ],
        ).cluster,
      ),
    ).toEqual([0, 1, 1]);
  });
});
