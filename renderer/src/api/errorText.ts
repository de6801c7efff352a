/**
 * Errors in the GUI's words: what went wrong as a sentence, what to do about it in terms of the controls on screen
 * (core names the remedy as data, core/model/remedy.ts; the CLI words the same remedy with its flags), and the
 * code and place kept for a details line.
 */
import { remedyOf, type ApiError, type Remedy } from '../../../core/api/contract';

export function guiRemedy(remedy: Remedy): string {
  switch (remedy.do) {
    case 'replace':
      return 'To import it again, tick “Replace earlier import” and import it.';
    case 'otherChannelOrReplace':
      return 'Import it into another channel, or tick “Replace earlier import” to replace that earlier source.';
    case 'encoding':
      return `Choose ${remedy.encoding} under “Encoding”.`;
    case 'onDuplicate':
      return 'Choose which of the rows stands under “Repeated record ids”.';
    case 'map':
      return `Choose the export’s format under “Format”. A file in another layout needs its ${remedy.target} column named, which only the command line can do for now.`;
    case 'format':
      return 'Choose the export’s format under “Format”.';
    case 'align':
      return 'Align the records on the Matches page first.';
    case 'alignThenDetect':
      return 'Use “Align and detect gaps” to align them first.';
    case 'detectGaps':
      return 'Detect gaps on the Gaps page first.';
    case 'buildGraph':
      return 'Build the knowledge graph on the Graph page first.';
  }
}

/** Lead sentences for codes whose own message is written for developers. */
const CODE_SENTENCE: Partial<Record<ApiError['code'], string>> = {
  INTERNAL: 'Something went wrong inside Concord.',
  UNAUTHORIZED: 'This page is no longer signed in to Concord.',
  FORBIDDEN: 'Concord refused this request.',
};

export interface ErrorText {
  /** What went wrong, as sentences for people. */
  sentence: string;
  /** What to do about it, in the GUI's words (null when core named no remedy). */
  remedy: string | null;
  /** The code and the place, for a details line. */
  details: string;
}

/** The message as a sentence: a capital first letter (unless it starts with a name, e.g. a file's), a full stop. */
function asSentence(message: string): string {
  const text = message.trim();
  if (text === '') return '';
  const firstWord = text.split(' ', 1)[0];
  const capital = /^[a-z]+[:,;]?$/.test(firstWord) ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : text;
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** Where in the file the error is: the details core attaches to bad input. */
export function errorLocation(error: ApiError): { label: string; value: string }[] {
  const d = error.details;
  const out: { label: string; value: string }[] = [];
  if (typeof d.file === 'string' && d.file) out.push({ label: 'File', value: d.file });
  if (typeof d.line === 'number') out.push({ label: 'Line', value: String(d.line) });
  if (typeof d.column === 'number') out.push({ label: 'Column', value: String(d.column) });
  if (typeof d.field === 'string' && d.field) out.push({ label: 'Field', value: d.field });
  return out;
}

export function describeError(error: ApiError): ErrorText {
  const remedy = remedyOf(error.details);
  const lead = CODE_SENTENCE[error.code];
  const sentence = asSentence(error.message);
  return {
    sentence: lead ? `${lead} ${sentence}` : sentence,
    remedy: remedy ? guiRemedy(remedy) : null,
    details: [...errorLocation(error).map((w) => `${w.label} ${w.value}`), `code ${error.code}`].join(' · '),
  };
}
