import { describe, expect, it } from 'vitest';
import type { StageContext } from '../../jobs/pipeline.js';
import { alignRecord } from '../../test-support/alignRecord.js';
import { RecordProfiles } from '../recordPairs.js';
import { VariantOptions } from '../variants.js';
import { EVIDENCE_MODEL, EVIDENCE_SAME_CODE, EVIDENCE_VARIANT_CONFLICT, scoreStage } from './score.js';

const ctx: StageContext = { signal: undefined, progress() {}, seconds: () => ({}) };

describe('scoreStage', () => {
  it('takes a code two records share, each the other\u2019s only match, as sure; a variant conflict still says no', async () => {
    // 0 shop / 1 woo share NV-MACPS (their titles disagree); 0 / 2 read alike; 3 / 4 share a code but not the colour.
    const records = [
      alignRecord(1, 0, 'Marix Slim Fit Canvas Work Pant', { sku: 'NV-MACPS-BLK-32X32' }),
      alignRecord(2, 1, 'Marix Relaxed Fit Canvas Work Pant', { sku: 'NV-MACPS-BLK-32X32' }),
      alignRecord(3, 1, 'Marix Slim Fit Canvas Work Pant', { sku: 'NV-MACPR-BLK-32X32' }),
      alignRecord(4, 0, 'Tee', { sku: 'NL-TEE-BLK' }),
      alignRecord(5, 1, 'Tee', { sku: 'NL-TEE-BLK' }),
    ];
    const profiles = new RecordProfiles(records);
    const A = Int32Array.from([0, 0, 3]);
    const B = Int32Array.from([1, 2, 4]);
    const out = await scoreStage.run(
      {
        matcher: null,
        labelOf: () => undefined,
        scoreRows: [0, 1, 2],
        m: 3,
        cosine: Float32Array.from([0.4, 0.9, 0.9]),
        sure: new Int8Array(3),
        A,
        B,
        variants: new VariantOptions([null, null, null, { Color: 'Black' }, { Color: 'White' }]),
        profiles,
        sameCode: Uint8Array.from([1, 0, 1]),
      },
      ctx,
    );
    expect([out.probability[0], out.evidence[0]]).toEqual([1, EVIDENCE_SAME_CODE]);
    expect(out.evidence[1]).toBe(EVIDENCE_MODEL);
    expect(out.probability[1]).toBeCloseTo(0.9);
    expect([out.probability[2], out.evidence[2]]).toEqual([0, EVIDENCE_VARIANT_CONFLICT]);
  });
});
