import { describe, expect, it } from 'vitest';
import { ConcordError } from '../model/errors.js';
import { REMEDY_KINDS, withRemedy, type Remedy } from '../model/remedy.js';
import { cliRemedy } from './remedy.js';

/** One of each kind (the fields a kind does not use are ignored). */
const EVERY_REMEDY = REMEDY_KINDS.map(
  (kind) => ({ do: kind, encoding: 'windows-1252', target: 'recordId' }) as Remedy,
);

describe('remedies in the CLI’s words (the GUI words them as its controls: renderer/src/api/errorText.ts)', () => {
  it('names a flag or a command for every remedy', () => {
    for (const remedy of EVERY_REMEDY) expect(cliRemedy(remedy), remedy.do).toMatch(/--|`concord /);
    expect(cliRemedy({ do: 'encoding', encoding: 'windows-1252' })).toBe('pass --encoding windows-1252');
  });

  it('appends the remedy to the message, and leaves a message without one as it is', () => {
    const duplicate = new ConcordError('CONFLICT', 'good.csv was already imported into channel "shopify"', {
      file: 'good.csv',
      remedy: { do: 'replace' },
    });
    expect(withRemedy(duplicate.message, duplicate.details, cliRemedy)).toBe(
      'good.csv was already imported into channel "shopify"; use --replace to import it again',
    );
    expect(withRemedy('no source #9', {}, cliRemedy)).toBe('no source #9');
    expect(withRemedy('odd', { remedy: { do: 'reboot' } }, cliRemedy)).toBe('odd');
  });
});
