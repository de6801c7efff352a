import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Progress } from '../jobs/progress.js';
import { openWorkspace, type Workspace } from '../store/workspace.js';
import { useTempDir } from '../test-support/tmp.js';
import { createAnnIndex } from './ann.js';
import { embedWorkspace, readRecordTexts, recordText, trainWorkspaceEncoder } from './pipeline.js';
import { listModels, loadEmbeddings, readModelBytes } from './registry.js';
import { EncoderRuntime } from './runtime.js';
import { syntheticProducts } from './synthetic.js';

const CHANNELS = ['shopify', 'google', 'amazon'];

/** A workspace with products on three channels; the first two share valid GTINs, the third has none. */
function seed(ws: Workspace, count: number): void {
  const insertChannel = ws.db.prepare('INSERT INTO channels (name, priority) VALUES (?, ?)');
  const insertSource = ws.db.prepare(
    `INSERT INTO sources (channel, kind, format, encoding, file_name, file_path, size_bytes, sha256, imported_at, header, rows, records, warnings)
     VALUES (?, 'products', 'csv', 'utf-8', ?, ?, 0, ?, '2024-01-01T00:00:00Z', '[]', 0, 0, 0)`,
  );
  const insertRecord = ws.db.prepare(
    'INSERT INTO records (source_id, line, channel, record_id, title, brand, gtin, gtin_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const products = syntheticProducts(count, 5, 3);
  ws.db.transaction(() => {
    CHANNELS.forEach((c, i) => {
      insertChannel.run(c, i);
      const src = Number(insertSource.run(c, `${c}.csv`, `/tmp/${c}.csv`, 'x'.repeat(64)).lastInsertRowid);
      products.forEach((p, k) => {
        const gtin = i < 2 ? String(10_000_000 + k).padStart(14, '0') : null;
        insertRecord.run(src, k + 2, c, `${c}-${k}`, p.titles[i], null, gtin, gtin ? 'valid' : 'absent');
      });
    });
  })();
}

describe('encoder pipeline on a workspace', () => {
  const tmp = useTempDir();

  it('reads record texts with known-same groups from GTINs shared across channels', () => {
    const ws = openWorkspace(join(tmp(), 'w.concord'), { create: true });
    seed(ws, 30);
    const data = readRecordTexts(ws);
    expect(data.texts.length).toBe(90);
    const known = Array.from(data.groups).filter((g) => g >= 0);
    expect(known.length).toBe(60);
    expect(new Set(known).size).toBe(30);
    expect(recordText('Ultra 64GB Card', 'SanDisk')).toBe('SanDisk Ultra 64GB Card');
    expect(recordText('SanDisk Ultra 64GB', 'sandisk')).toBe('SanDisk Ultra 64GB');
    ws.close();
  });

  it('trains, exports, registers and embeds every record through onnxruntime', async () => {
    const ws = openWorkspace(join(tmp(), 'w.concord'), { create: true });
    seed(ws, 400);
    const phases = new Set<string>();
    const config = {
      featurizer: { version: 1, buckets: 1 << 14, minN: 3, maxN: 5, maxFeatures: 256 },
      dim: 32,
      outDim: 32,
    };
    const result = await trainWorkspaceEncoder(
      ws,
      { config, minSteps: 60, batchSize: 128, evalSample: 300, session: { providers: ['cpu'] } },
      { progress: (p: Progress) => phases.add(p.phase) },
    );
    expect([...phases]).toEqual(expect.arrayContaining(['load', 'prepare', 'train', 'export', 'embed']));
    expect(result.model).toMatchObject({ kind: 'encoder', name: 'concord-encoder', version: 1 });
    expect(result.model.trainingDataSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.model.metrics).toMatchObject({ records: 1200, knownSameGroups: 400 });
    expect(result.provider?.provider).toBe('cpu');
    expect(listModels(ws, { kind: 'encoder' })).toHaveLength(1);

    const emb = loadEmbeddings(ws, result.embeddings!);
    expect(emb.matrix.length).toBe(1200 * 32);
    // the stored matrix is what the registered model computes
    const rt = await EncoderRuntime.open(readModelBytes(ws, result.model), { providers: ['cpu'] });
    const data = readRecordTexts(ws);
    const again = await rt.embed(data.texts.slice(0, 50));
    for (let i = 0; i < again.length; i++) expect(Math.abs(again[i] - emb.matrix[i])).toBeLessThan(1e-6);
    await rt.close();

    // blocking by ANN: most records' top neighbour (other than itself) is the same product on another channel
    const index = createAnnIndex({ dims: 32 });
    index.add(emb.keys, emb.matrix);
    const top = index.search(emb.matrix, 2);
    const productOf = new Map(data.ids.map((id, i) => [id, i % 400]));
    let same = 0;
    for (let i = 0; i < data.ids.length; i++)
      if (productOf.get(top.keys[i * 2 + 1]) === productOf.get(data.ids[i])) same++;
    expect(same / data.ids.length).toBeGreaterThan(0.6);

    // a second run: version 2; re-embedding with a registered model by name
    const second = await trainWorkspaceEncoder(ws, {
      config,
      seed: 2,
      minSteps: 10,
      batchSize: 128,
      evalSample: 0,
      embed: false,
    });
    expect(second.model.version).toBe(2);
    expect(second.embeddings).toBeNull();
    const re = await embedWorkspace(ws, 'concord-encoder@2', { session: { providers: ['cpu'] } });
    expect(re.embeddings).toMatchObject({ modelId: second.model.id, rows: 1200, dims: 32 });
    ws.close();
  });
});
