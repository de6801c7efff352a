import { writeFile } from 'node:fs/promises';
import { benchMatchFiles } from '../../align/benchMatch.js';
import { ConcordError } from '../../model/errors.js';
import { type Command } from '../command.js';
import { formatTable, UsageError, writeJson } from '../io.js';

const USAGE = 'concord bench match --train F --valid F --test F [--no-context] [--json] [--predictions FILE]';

export const benchCommand: Command = {
  name: 'bench',
  summary:
    'Benchmark the product matcher on labelled pair files (ditto format): train, pick the threshold, test once.',
  usage: USAGE,
  help: `Subcommands:
  match              fit the matcher alignment runs on --train, choose the decision threshold (max F1) on
                     --valid, predict --test once and report precision / recall / F1 of the positive class

Options:
  --train F          labelled pairs to learn from
  --valid F          labelled pairs for early stopping, calibration and the threshold
  --test F           labelled pairs to report on (labels are used only for the figures)
  --no-context       without the candidate-context features (how a pair ranks among its records' candidates)
  --json             print {precision, recall, f1, threshold, trainSeconds, predictSeconds, train, valid, test}
  --predictions FILE write one 0/1 per test line

Pair files have one pair per line: LEFT<TAB>RIGHT<TAB>LABEL, a record being
"COL <attr> VAL <value> COL <attr> VAL <value> …" (any attributes), LABEL 0 or 1. The records become the
records alignment matches: the title / name attribute (else the first) is the title, brand / manufacturer the
brand, price the price, any other attribute the description.

Example:
  concord bench match --train abt-buy/train.txt --valid abt-buy/valid.txt --test abt-buy/test.txt --json`,
  options: {
    train: { type: 'string' },
    valid: { type: 'string' },
    test: { type: 'string' },
    json: { type: 'boolean' },
    predictions: { type: 'string' },
    'no-context': { type: 'boolean' },
  },
  async run({ positionals, values }) {
    if (positionals.length === 0) throw new UsageError(`missing subcommand "match"\nusage: ${USAGE}`);
    if (positionals[0] !== 'match')
      throw new UsageError(`unknown subcommand "${positionals[0]}"\nusage: ${USAGE}`);
    if (positionals.length > 1)
      throw new UsageError(`unexpected argument "${positionals[1]}"\nusage: ${USAGE}`);
    const file = (name: 'train' | 'valid' | 'test') => {
      const v = values[name];
      if (typeof v !== 'string' || v.length === 0)
        throw new UsageError(`missing --${name} FILE\nusage: ${USAGE}`);
      return v;
    };
    const files = { train: file('train'), valid: file('valid'), test: file('test') };
    const predictionsFile = values.predictions;
    if (
      predictionsFile !== undefined &&
      (typeof predictionsFile !== 'string' || predictionsFile.length === 0)
    ) {
      throw new UsageError(`--predictions needs a FILE\nusage: ${USAGE}`);
    }
    const { result, predictions } = await benchMatchFiles(files, { context: !values['no-context'] });
    if (typeof predictionsFile === 'string') {
      try {
        await writeFile(
          predictionsFile,
          predictions.length > 0 ? `${Array.from(predictions).join('\n')}\n` : '',
        );
      } catch (err) {
        throw new ConcordError(
          'BAD_INPUT',
          `${predictionsFile}: cannot write predictions (${(err as Error).message})`,
          { file: predictionsFile },
        );
      }
    }
    if (values.json) writeJson(result);
    else {
      const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
      process.stdout.write(
        formatTable(
          ['metric', 'value'],
          [
            ['precision', pct(result.precision)],
            ['recall', pct(result.recall)],
            ['F1', pct(result.f1)],
            ['threshold', result.threshold.toFixed(4)],
            ['train seconds', result.trainSeconds.toFixed(1)],
            ['predict seconds', result.predictSeconds.toFixed(1)],
            ['pairs train / valid / test', `${result.train} / ${result.valid} / ${result.test}`],
          ],
        ) + '\n',
      );
    }
    return 0;
  },
};
