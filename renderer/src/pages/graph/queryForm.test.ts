import { describe, expect, it } from 'vitest';
import { hopFrom, toPatternQuery, withEdge, type QueryForm } from './queryForm';

describe('the pattern-query form', () => {
  it('reads "products of brand X with a conflict" as a PatternQuery', () => {
    const form: QueryForm = {
      startType: 'product',
      where: [{ prop: 'label', op: 'contains', value: 'Bottle' }],
      hops: [
        {
          ...hopFrom('product'),
          edge: 'has_brand',
          nodeType: 'brand',
          where: [{ prop: 'label', op: 'eq', value: 'Northwind' }],
        },
        { ...withEdge(hopFrom('product'), 'conflicts_with', 'product'), after: false },
      ],
      returns: 'start',
    };
    const { query, error } = toPatternQuery(form, 50);
    expect(error).toBeNull();
    expect(query).toEqual({
      start: { type: 'product', where: [{ prop: 'label', op: 'contains', value: 'Bottle' }] },
      hops: [
        {
          edge: 'has_brand',
          direction: 'out',
          where: [],
          node: { type: 'brand', where: [{ prop: 'label', op: 'eq', value: 'Northwind' }] },
          after: false,
        },
        {
          edge: 'conflicts_with',
          direction: 'out',
          where: [],
          node: { type: 'offer', where: [] },
          after: false,
        },
      ],
      return: 'start',
      limit: 50,
      offset: 0,
    });
  });

  it('follows an edge backwards when the hop starts at its target', () => {
    expect(withEdge(hopFrom('offer'), 'offered_as', 'offer')).toMatchObject({
      direction: 'in',
      nodeType: 'product',
    });
    expect(withEdge(hopFrom('offer'), 'interacted', 'offer')).toMatchObject({
      direction: 'in',
      nodeType: 'user',
    });
    expect(withEdge(hopFrom('product'), 'similar_to', 'product')).toMatchObject({
      direction: 'any',
      nodeType: 'product',
    });
  });

  it('parses numbers and lists, skips rows without a property, and names the row it cannot read', () => {
    const form: QueryForm = {
      startType: 'offer',
      where: [
        { prop: 'price', op: 'gt', value: '10.5' },
        { prop: '', op: 'eq', value: 'ignored' },
        { prop: 'channel', op: 'in', value: 'google, amazon' },
      ],
      hops: [],
      returns: 'start',
    };
    expect(toPatternQuery(form).query?.start.where).toEqual([
      { prop: 'price', op: 'gt', value: 10.5 },
      { prop: 'channel', op: 'in', value: ['google', 'amazon'] },
    ]);
    const bad: QueryForm = {
      ...form,
      where: [],
      hops: [{ ...hopFrom('offer'), where: [{ prop: 'price', op: 'lt', value: 'cheap' }] }],
    };
    expect(toPatternQuery(bad)).toEqual({
      query: null,
      error: 'Hop 1, filter 1 (price): < takes a number',
    });
  });
});
