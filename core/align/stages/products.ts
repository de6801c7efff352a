/**
 * Stage `products`: which clusters are one product and which products one family (core/align/products.ts), decided
 * once here and stored (migration 005) for gap detection, fix lists and the product drawer. Alignment decides it
 * from the clusters and golden records in memory; re-clustering, which may touch only a few clusters, decides it
 * again over the stored ones (`storedProductsStage`).
 */
import type Database from 'better-sqlite3';
import { stage } from '../../jobs/pipeline.js';
import type { GoldenRecordRow } from '../../store/goldenRecords.js';
import { familyClusters, saveProducts } from '../../store/products.js';
import { parseOptions, type RecordColumns } from '../../store/records.js';
import { decideProducts, type FamilyCluster, type FamilyRecord, type ProductOfCluster } from '../products.js';
import type { Clustering } from './cluster.js';

export interface ProductsInput {
  columns: RecordColumns;
  clustering: Clustering;
  golden: GoldenRecordRow[];
}

const NO_OPTIONS: Record<string, string> = {};

/** The clusters as the product decision reads them, in cluster id order (as familyClusters reads them stored). */
function familiesOf({ columns: c, clustering, golden }: ProductsInput): FamilyCluster[] {
  // Option texts repeat across a catalog: each is parsed once and its object shared.
  const parsed = new Map<string, Record<string, string>>();
  const options = (json: string | null): Record<string, string> => {
    if (!json) return NO_OPTIONS;
    let o = parsed.get(json);
    if (o === undefined) parsed.set(json, (o = parseOptions(json) ?? NO_OPTIONS));
    return o;
  };
  const members = new Map<number, FamilyRecord[]>();
  for (let i = 0; i < c.id.length; i++) {
    const root = c.id[clustering.cluster[i]];
    const rec: FamilyRecord = {
      ref: c.id[i],
      channel: c.channels[c.channel[i]],
      channelIndex: c.channel[i],
      parentId: c.parentId[i],
      title: c.title[i],
      brandKey: c.brandKey[i],
      options: options(c.options[i]),
    };
    const list = members.get(root);
    if (list) list.push(rec);
    else members.set(root, [rec]);
  }
  const out: FamilyCluster[] = [];
  for (const g of golden) {
    const records = members.get(g.clusterId);
    if (!records) continue;
    records.sort((a, b) => a.channelIndex - b.channelIndex || a.ref - b.ref);
    out.push({ clusterId: g.clusterId, records, golden: { title: g.title, options: options(g.options) } });
  }
  return out.sort((a, b) => a.clusterId - b.clusterId);
}

export const productsStage = stage('products', 'products and families', (input: ProductsInput) => ({
  products: decideProducts(familiesOf(input)) as ProductOfCluster[],
}));

/** Decides every stored cluster's product and family again and stores them. */
export function redecideProducts(db: Database.Database): void {
  saveProducts(db, decideProducts(familyClusters(db)));
}

export const storedProductsStage = stage(
  'products',
  'products and families',
  ({ db }: { db: Database.Database }) => {
    redecideProducts(db);
    return {};
  },
);
