import { describe, expect, it } from 'vitest';
import { graphHref, nodeInHash, productNodeKey } from './graphLink';

describe('graph links', () => {
  it('round-trips a node key through the address, whatever it holds', () => {
    const key = 'category:google:Apparel & Accessories > Shoes?x=1#y';
    expect(nodeInHash(graphHref(key))).toBe(key);
    expect(nodeInHash('#/graph')).toBeNull();
  });

  it("names a Gaps drawer's product as the graph keys products", () => {
    expect(productNodeKey('c12')).toBe('product:12');
    expect(productNodeKey('12')).toBe('product:12');
    expect(productNodeKey('p_1f')).toBeNull();
  });
});
