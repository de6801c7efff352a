import { embedWorkspace, trainWorkspaceEncoder } from '../../embed/pipeline.js';
import { registerTransformerFolder } from '../../embed/registry.js';
import { openWorkspace } from '../../store/workspace.js';
import { requirePositionals, type Command } from '../command.js';
import { progressLine, UsageError, writeJson } from '../io.js';

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
    const session = values.provider ? { providers: values.provider as string } : undefined;
    const ws = openWorkspace(positionals[0]);
    const bar = progressLine('embedding');
    try {
      if (values.model) {
        const model = registerTransformerFolder(ws, values.model as string, 'user-model');
        const r = await embedWorkspace(ws, model, { session }, { progress: bar.update });
        bar.done();
        const out = {
          model: { id: model.id, name: model.name, sha256: model.sha256 },
          provider: r.provider,
          rows: r.embeddings.rows,
          seconds: r.seconds,
        };
        if (values.json) writeJson(out);
        else
          process.stdout.write(
            `embedded ${r.embeddings.rows.toLocaleString('en-US')} records with ${model.name} on ${describe(r.provider)} in ${r.seconds.toFixed(1)} s\n`,
          );
        return 0;
      }
      const r = await trainWorkspaceEncoder(
        ws,
        { epochs, timeBudgetMs: budget * 1000, session },
        { progress: bar.update },
      );
      bar.done();
      const out = {
        model: { id: r.model.id, name: r.model.name, version: r.model.version, sha256: r.model.sha256 },
        provider: r.provider,
        train: r.train,
        embeddings: r.embeddings ? { rows: r.embeddings.rows, dims: r.embeddings.dims } : null,
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
    } finally {
      bar.done();
      ws.close();
    }
  },
};

function describe(p: { provider: string; fallbackReason?: string | null } | null): string {
  if (!p) return 'no session';
  return p.fallbackReason ? `${p.provider} (${p.fallbackReason})` : p.provider;
}
