/** Registry of product export formats (one adapter per file) and header-based format detection. */
import type { FormatName } from '../../model/record.js';
import type { FormatAdapter } from '../types.js';
import { amazonAdapter } from './amazon.js';
import { csvAdapter, jsonlAdapter, mappingFit } from './generic.js';
import { gmcAdapter } from './gmc.js';
import { shopifyAdapter } from './shopify.js';
import { woocommerceAdapter } from './woocommerce.js';

export { amazonAdapter, csvAdapter, gmcAdapter, jsonlAdapter, shopifyAdapter, woocommerceAdapter };
export { GENERIC_TARGETS, type GenericTarget } from './generic.js';

export const FORMAT_ADAPTERS: FormatAdapter[] = [
  shopifyAdapter,
  woocommerceAdapter,
  gmcAdapter,
  amazonAdapter,
  csvAdapter,
  jsonlAdapter,
];

/** Below this, a header is not taken for a format: the caller reports it as matching no known format. */
export const DETECT_THRESHOLD = 0.5;

export interface FormatDetection {
  /** The best-scoring format (check `confidence` against DETECT_THRESHOLD before trusting it). */
  format: FormatName;
  confidence: number;
  /** Every format, best first. */
  ranking: { format: FormatName; confidence: number }[];
}

export interface DetectOptions {
  /** A generic column mapping: the generic format then scores by how many mapped columns exist. */
  mapping?: Record<string, string>;
  /** Which generic format a mapping means (default csv). */
  generic?: 'csv' | 'jsonl';
}

/**
 * Scores a header against every product format. Generic csv/jsonl score 0 unless a mapping is given,
 * so an unknown header scores below 0.5 everywhere.
 */
export function detectFormat(header: string[], options: DetectOptions = {}): FormatDetection {
  const generic = options.generic ?? 'csv';
  const ranking = FORMAT_ADAPTERS.map((a) => {
    let confidence = a.detect(header);
    if (options.mapping !== undefined && a.name === generic) confidence = mappingFit(header, options.mapping);
    return { format: a.name, confidence };
  });
  // On a tie the mapped generic format wins (the user asked for it), else the registry order decides.
  const preferred = options.mapping !== undefined ? generic : null;
  ranking.sort(
    (a, b) => b.confidence - a.confidence || (a.format === preferred ? -1 : b.format === preferred ? 1 : 0),
  );
  return { format: ranking[0].format, confidence: ranking[0].confidence, ranking };
}

/** The adapter for a format name, or undefined. */
export function adapterFor(name: string): FormatAdapter | undefined {
  return FORMAT_ADAPTERS.find((a) => a.name === name);
}
