/**
 * similar_to: each product's nearest products by the cosine of their embeddings (the mean of their records' newest
 * record embeddings), found with the ANN index (usearch where available). Only when the workspace has embeddings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAnnIndex } from '../../embed/ann.js';
import { nodeKey } from '../../model/graph.js';
import type { PartWriter } from '../store.js';

/** Neighbours asked per product (itself included). */
const NEIGHBOURS = 6;
/** A neighbour below this cosine is not similar enough to say so. */
const MIN_COSINE = 0.5;

export function buildSimilar(w: PartWriter, blobDir: string): void {
  const db = w.db;
  const matrixRow = db
    .prepare(
      `SELECT path, keys_path, rows, dims FROM embeddings WHERE scope = 'records' ORDER BY id DESC LIMIT 1`,
    )
    .get() as { path: string; keys_path: string; rows: number; dims: number } | undefined;
  if (!matrixRow) return;
  const m = readFileSync(join(blobDir, matrixRow.path));
  const k = readFileSync(join(blobDir, matrixRow.keys_path));
  const matrix = new Float32Array(m.buffer.slice(m.byteOffset, m.byteOffset + m.byteLength));
  const keys = new BigInt64Array(k.buffer.slice(k.byteOffset, k.byteOffset + k.byteLength));
  const dims = matrixRow.dims;
  if (matrix.length !== matrixRow.rows * dims || keys.length !== matrixRow.rows) return;
  const rowOf = new Map<number, number>();
  for (let r = 0; r < keys.length; r++) rowOf.set(Number(keys[r]), r);

  const productOf = db
    .prepare(
      `SELECT c.record_id, coalesce(p.product_id, c.cluster_id) FROM clusters c
       LEFT JOIN products p ON p.cluster_id = c.cluster_id ORDER BY 2`,
    )
    .raw(true)
    .all() as [number, number][];
  const products: number[] = [];
  const sums: Float32Array[] = [];
  for (const [recordId, product] of productOf) {
    const r = rowOf.get(recordId);
    if (r === undefined) continue;
    if (products[products.length - 1] !== product) {
      products.push(product);
      sums.push(new Float32Array(dims));
    }
    const sum = sums[sums.length - 1];
    for (let d = 0; d < dims; d++) sum[d] += matrix[r * dims + d];
  }
  if (products.length < 2) return;
  const vectors = new Float32Array(products.length * dims);
  sums.forEach((s, i) => {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += s[d] * s[d];
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dims; d++) vectors[i * dims + d] = s[d] / norm;
  });
  const index = createAnnIndex({ dims });
  index.add(products, vectors);
  const found = index.search(vectors, Math.min(NEIGHBOURS, products.length));
  const idOf = (product: number): number | undefined => w.idOf(nodeKey.product(product));
  for (let i = 0; i < products.length; i++) {
    const a = products[i];
    const src = idOf(a);
    if (src === undefined) continue;
    for (let j = 0; j < found.k; j++) {
      const b = found.keys[i * found.k + j];
      const cosine = found.scores[i * found.k + j];
      // Each pair once, from the smaller product id.
      if (b < 0 || b <= a || cosine < MIN_COSINE) continue;
      const dst = idOf(b);
      if (dst !== undefined) w.edge(src, dst, 'similar_to', `{"cosine":${cosine.toFixed(4)}}`);
    }
  }
  w.flush();
}
