/**
 * loadProducts reads the records and golden records gap detection compares: checked against the stored rows as the
 * records table's own readers give them, on a generated store imported and aligned for real.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignWorkspace } from '../align/alignWorkspace.js';
import { goldenOf, parseProvenance } from '../store/goldenRecords.js';
import { channelCoverage, hydrateRecord, RECORD_COLUMNS, streamProductRecords } from '../store/records.js';
import { openWorkspace } from '../store/workspace.js';
import { useSuiteTempDir } from '../test-support/tmp.js';
import { statesNoSale } from './differs.js';
import { loadProducts } from './loadProducts.js';
import { importGeneratedStore } from '../test-support/generatedStore.js';

describe('loadProducts', () => {
  const tmp = useSuiteTempDir();
  let ws = '';

  beforeAll(async () => {
    ws = join(tmp(), 'store.concord');
    await importGeneratedStore(ws, {
      outDir: join(tmp(), 'store'),
      products: 120,
      seed: 'load-3',
    });
    await alignWorkspace(ws);
  }, 120_000);

  it('gives every product record with the stored values, its channel priority, format and tags', () => {
    const w = openWorkspace(ws);
    try {
      const loaded = loadProducts(w.db);
      const stored = [...streamProductRecords(w.db, RECORD_COLUMNS, { extra: ['s.format'] })];
      expect(loaded.records.length).toBe(stored.length);
      expect(loaded.records.length).toBeGreaterThan(100);
      stored.forEach((row, i) => {
        const { id, description, stock, attributes, tags, options, ...fields } = hydrateRecord(
          RECORD_COLUMNS,
          row,
        );
        void stock;
        void attributes;
        const r = loaded.records[i];
        expect(r).toEqual({
          ...fields,
          ref: id,
          channelIndex: loaded.channels.indexOf(fields.channel),
          format: row[RECORD_COLUMNS.length],
          hasDescription: description !== null,
          tags: tags ? JSON.parse(tags) : [],
          options: options ? JSON.parse(options) : {},
        });
      });
    } finally {
      w.close();
    }
  });

  it('gives each cluster its golden record and the record each value came from', () => {
    const w = openWorkspace(ws);
    try {
      const loaded = loadProducts(w.db);
      expect(loaded.clusters.length).toBeGreaterThan(50);
      for (const c of loaded.clusters) {
        const g = goldenOf(w.db, c.clusterId)!;
        const provenance = parseProvenance(g.provenance);
        const own = (f: string, value: unknown) =>
          provenance?.[f] ? provenance[f][0] : value === null ? null : g.sourceRecord;
        expect(c.golden).toEqual({
          clusterId: g.clusterId,
          title: g.title,
          brand: g.brand,
          options: g.options ? JSON.parse(g.options) : {},
          gtin: g.gtin,
          priceMinor: g.priceMinor,
          salePriceMinor: g.salePriceMinor,
          currency: g.currency,
          availability: g.availability,
          weightG: g.weightG,
          category: g.category,
          imageUrl: g.imageUrl,
          noSale: statesNoSale(g.salePriceMinor, provenance),
          from: {
            title: own('title', g.title),
            gtin: own('gtin', g.gtin),
            price: own('price', g.priceMinor),
            salePrice: own('salePrice', g.salePriceMinor),
            availability: own('availability', g.availability),
            weight: own('weight', g.weightG),
            category: own('category', g.category),
            image: own('image', g.imageUrl),
          },
        });
        const order = c.records.map((r) => [r.channelIndex, r.ref]);
        expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
      }
    } finally {
      w.close();
    }
  });

  it('tells the fields each channel carries as the records table does', () => {
    const w = openWorkspace(ws);
    try {
      expect(loadProducts(w.db).coverage).toEqual(channelCoverage(w.db));
    } finally {
      w.close();
    }
  });
});
