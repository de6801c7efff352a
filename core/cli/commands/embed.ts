import type { Params } from '../../api/contract.js';
import { withWorkspace } from '../api.js';
import { requirePositionals, type Command } from '../command.js';
import { UsageError, writeJson } from '../io.js';

type Provider = { provider: string; fallbackReason?: string | null } | null;

/** What the embed.start job returns: a trained encoder, or a model folder's embeddings. */
interface EmbedResult {
  model: { id: string; name: string; version?: number; sha256: string };
  provider: Provider;
  embeddings: { rows: number; dims: number } | null;
  seconds?: number;
  train?: unknown;
  embedSeconds?: number;
}

export const embedCommand: Command = {
  name: 'embed',
  summary:
    "Train the built-in text encoder on the workspace's records (or load a model folder) and embed every record.",
  usage: 'concord embed WS [--model DIR] [--epochs N] [--time-budget SECONDS] [--provider LIST] [--json]',
  help: `Options:
  --model DIR            use a sentence-transformers style folder (model.onnx + tokenizer.json) instead of training
  --epochs N             passes over the records when training (default: chosen from the record count)
  --time-budget SECONDS  stop training after this long (default 120)
  --provider LIST        execution providers in order of preference, e.g. cuda,cpu (default: the platform's order;
                         an unavailable provider falls back to CPU and says why)
  --json                 print the result as JSON

The model is versioned in the workspace's registry; \`concord align\` then uses the embeddings (cosine feature and
nearest-neighbour blocking).`,
  options: {
    model: { type: 'string' },
    epochs: { type: 'string' },
    'time-budget': { type: 'string' },
    provider: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ positionals, values }) {
    requirePositionals(this, positionals, 1, 'the workspace file');
    const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
    if (epochs !== undefined && (!Number.isInteger(epochs) || epochs < 1))
      throw new UsageError('--epochs takes a positive whole number');
    const budget = Number(values['time-budget'] ?? 120);
    if (!(budget > 0)) throw new UsageError('--time-budget takes a positive number of seconds');
    const providers = values.provider
      ? (String(values.provider)
          .split(',')
          .map((p) => p.trim().toLowerCase())
          .filter((p) => p !== '')
          .map((p) => (p === 'directml' ? 'dml' : p)) as Params<'embed.start'>['providers'])
      : undefined;
    return withWorkspace(positionals[0], async (api) => {
      const r = await api.job<EmbedResult>('embed.start', {
        timeBudgetSeconds: budget,
        epochs,
        providers,
        modelFolder: values.model as string | undefined,
      });
      if (values.model) {
        const model = r.model;
        const rows = r.embeddings?.rows ?? 0;
        const seconds = r.seconds ?? 0;
        const out = {
          model: { id: model.id, name: model.name, sha256: model.sha256 },
          provider: r.provider,
          rows,
          seconds,
        };
        if (values.json) writeJson(out);
        else
          process.stdout.write(
            `embedded ${rows.toLocaleString('en-US')} records with ${model.name} on ${describe(r.provider)} in ${seconds.toFixed(1)} s\n`,
          );
        return 0;
      }
      const out = {
        model: r.model,
        provider: r.provider,
        train: r.train,
        embeddings: r.embeddings,
        embedSeconds: r.embedSeconds,
      };
      if (values.json) writeJson(out);
      else {
        process.stdout.write(
          `trained ${r.model.name} v${r.model.version} (${r.model.sha256.slice(0, 12)})` +
            (r.embeddings
              ? `; embedded ${r.embeddings.rows.toLocaleString('en-US')} records × ${r.embeddings.dims}`
              : '') +
            (r.provider ? ` on ${describe(r.provider)}` : '') +
            '\n',
        );
      }
      return 0;
    });
  },
};

function describe(p: Provider): string {
  if (!p) return 'no session';
  return p.fallbackReason ? `${p.provider} (${p.fallbackReason})` : p.provider;
}
