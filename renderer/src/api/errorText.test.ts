import { describe, expect, it } from 'vitest';
import { REMEDY_KINDS, type ApiError, type Remedy } from '../../../core/api/contract';
import { describeError, guiRemedy } from './errorText';

/** One of each kind (the fields a kind does not use are ignored). */
const EVERY_REMEDY = REMEDY_KINDS.map(
  (kind) => ({ do: kind, encoding: 'windows-1252', target: 'recordId' }) as Remedy,
);

/** The duplicate import as core reports it (core/ingest/sourceWriter.ts). */
const DUPLICATE: ApiError = {
  code: 'CONFLICT',
  message:
    'good.csv was already imported into channel "shopify" (source #1, good.csv, 2026-12-07T20:00:00.000Z)',
  details: { file: 'good.csv', channel: 'shopify', sourceId: 1, remedy: { do: 'replace' } },
};

describe('one remedy, worded by each host', () => {
  it('the GUI names its controls and pages, never a flag or a command', () => {
    for (const remedy of EVERY_REMEDY) {
      const text = guiRemedy(remedy);
      expect(text, remedy.do).not.toMatch(/--|`|concord /);
      expect(text, remedy.do).toMatch(/^[A-Z].*\.$/);
    }
    expect(guiRemedy({ do: 'replace' })).toBe(
      'To import it again, tick “Replace earlier import” and import it.',
    );
    expect(guiRemedy({ do: 'encoding', encoding: 'windows-1252' })).toBe(
      'Choose windows-1252 under “Encoding”.',
    );
  });

  it('shows people a sentence and the remedy, and keeps the code for the details line', () => {
    expect(describeError(DUPLICATE)).toEqual({
      sentence:
        'good.csv was already imported into channel "shopify" (source #1, good.csv, 2026-12-07T20:00:00.000Z).',
      remedy: 'To import it again, tick “Replace earlier import” and import it.',
      details: 'File good.csv · code CONFLICT',
    });
    const bad: ApiError = {
      code: 'BAD_INPUT',
      message: 'p.csv, line 3: no price',
      details: { file: 'p.csv', line: 3 },
    };
    expect(describeError(bad)).toEqual({
      sentence: 'p.csv, line 3: no price.',
      remedy: null,
      details: 'File p.csv · Line 3 · code BAD_INPUT',
    });
    expect(
      describeError({ code: 'NOT_FOUND', message: 'no source #9 in this workspace', details: {} }).sentence,
    ).toBe('No source #9 in this workspace.');
    expect(describeError({ code: 'INTERNAL', message: 'disk I/O error', details: {} }).sentence).toBe(
      'Something went wrong inside Concord. Disk I/O error.',
    );
  });

  it('ignores a remedy that is not one (details cross processes as plain JSON)', () => {
    for (const remedy of [{ do: 'reboot' }, { do: 'encoding' }, 'replace', null])
      expect(describeError({ ...DUPLICATE, details: { remedy } }).remedy).toBeNull();
  });
});
