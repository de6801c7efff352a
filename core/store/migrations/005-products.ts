import type { Migration } from '../migrate.js';

/**
 * Products (DESIGN.md "Alignment", "Gaps"): alignment's decision of which clusters are one product (variant twins
 * joined) and which products one family (channel grouping, model code, title words). Gap detection, fix lists and
 * the product drawer read it instead of deciding again. Rewritten by every alignment and re-clustering.
 */
export const products: Migration = {
  version: 5,
  name: 'products',
  up: `
    -- Every cluster (golden_records.cluster_id): its product (the cluster whose golden record speaks for it, often
    -- itself) and its family (the smallest cluster id in the family).
    CREATE TABLE products (
      cluster_id INTEGER PRIMARY KEY,
      product_id INTEGER NOT NULL,
      family_id INTEGER NOT NULL
    );
    CREATE INDEX products_product ON products(product_id);
  `,
};
