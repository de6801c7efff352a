/**
 * TF-IDF over token lists (words or character n-grams). The IDF is fit on a collection of documents
 * (for matching: every record's text, unlabeled, so fitting on all records to be compared is fine).
 * Vectors are sparse, sublinear-tf, L2-normalized: their dot product is the cosine.
 */
import type { SparseVector } from './similarity.js';

export class Tfidf {
  private readonly ids = new Map<string, number>();
  private df: number[] = [];
  private docs = 0;

  /** Counts document frequencies over `documents` (each a token list; repeats within one count once). */
  static fit(documents: Iterable<readonly string[]>): Tfidf {
    const model = new Tfidf();
    for (const doc of documents) {
      model.docs++;
      for (const t of new Set(doc)) model.df[model.idOf(t)]++;
    }
    return model;
  }

  get documentCount(): number {
    return this.docs;
  }

  /** Smoothed IDF, ln((N + 1) / (df + 1)) + 1; unseen terms get the largest value. */
  idf(term: string): number {
    const id = this.ids.get(term);
    const df = id === undefined ? 0 : this.df[id];
    return Math.log((this.docs + 1) / (df + 1)) + 1;
  }

  /** The largest possible IDF (a term seen in no document). */
  get maxIdf(): number {
    return Math.log(this.docs + 1) + 1;
  }

  /** Sublinear TF (1 + ln tf) × IDF, L2-normalized, as a sparse vector with sorted ids. */
  vector(tokens: readonly string[]): SparseVector {
    const tf = new Map<number, number>();
    for (const t of tokens) {
      const id = this.idOf(t);
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    const ids = Int32Array.from([...tf.keys()].sort((a, b) => a - b));
    const values = new Float64Array(ids.length);
    let norm = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const df = this.df[id] ?? 0;
      const w = (1 + Math.log(tf.get(id) as number)) * (Math.log((this.docs + 1) / (df + 1)) + 1);
      values[i] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < values.length; i++) values[i] /= norm;
    return { ids, values };
  }

  private idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.df.length;
      this.ids.set(term, id);
      this.df.push(0);
    }
    return id;
  }
}
