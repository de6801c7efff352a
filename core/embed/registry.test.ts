import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportEncoder } from '../../models/encoder/graph.js';
import { makeManifest } from '../../models/encoder/manifest.js';
import { sha256Hex } from '../../models/encoder/store.js';
import { buildTinyBert, tinyBertTokenizerJson, tinyBertWeights } from '../../models/transformer/tinyBert.js';
import { openWorkspace } from '../store/workspace.js';
import { useTempDir } from '../test-support/tmp.js';
import { initEncoder } from './encoder.js';
import {
  codeVersion,
  getModel,
  listEmbeddings,
  listModels,
  loadEmbeddings,
  modelPath,
  readModelBytes,
  registerModel,
  registerTransformerFolder,
  saveEmbeddings,
} from './registry.js';

const featurizer = { version: 1, buckets: 128, minN: 3, maxN: 5, maxFeatures: 16 };
function encoderBytes(seed: number): Uint8Array {
  return exportEncoder(
    initEncoder({ featurizer, dim: 4, outDim: 4 }, seed),
    makeManifest({ name: 'enc', version: 1, dim: 4, outDim: 4, featurizer }),
  );
}

describe('model registry', () => {
  const tmp = useTempDir();

  it('migrates the workspace to the models schema', () => {
    const ws = openWorkspace(join(tmp(), 'w.concord'), { create: true });
    const tables = ws.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
      name: string;
    }>;
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['models', 'embeddings']));
    expect(ws.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(2);
    ws.close();
  });

  it('registers versions by hash, lists and gets them back, and survives reopening', () => {
    const file = join(tmp(), 'w.concord');
    let ws = openWorkspace(file, { create: true });
    const bytes1 = encoderBytes(1);
    const m1 = registerModel(ws, {
      kind: 'encoder',
      name: 'enc',
      bytes: bytes1,
      config: { dim: 4 },
      trainingDataSha256: 'a'.repeat(64),
      metrics: { viewTop1: 0.9 },
    });
    expect(m1).toMatchObject({
      kind: 'encoder',
      name: 'enc',
      version: 1,
      sha256: sha256Hex(bytes1),
      path: `models/${sha256Hex(bytes1)}.onnx`,
    });
    expect(m1.codeVersion).toBe(codeVersion());
    expect(m1.codeVersion).toMatch(/^concord@/);
    expect(existsSync(modelPath(ws, m1))).toBe(true);
    // the same bytes again: the same entry; new bytes: version 2
    expect(registerModel(ws, { kind: 'encoder', name: 'enc', bytes: bytes1, config: {} }).id).toBe(m1.id);
    const m2 = registerModel(ws, {
      kind: 'encoder',
      name: 'enc',
      bytes: encoderBytes(2),
      config: { dim: 4 },
    });
    expect(m2.version).toBe(2);
    ws.close();

    ws = openWorkspace(file);
    expect(listModels(ws).map((m) => [m.name, m.version])).toEqual([
      ['enc', 1],
      ['enc', 2],
    ]);
    expect(getModel(ws, 'enc').id).toBe(m2.id);
    expect(getModel(ws, 'enc@1')).toEqual(m1);
    expect(getModel(ws, m1.sha256.slice(0, 10))).toEqual(m1);
    expect(getModel(ws, m1.id).metrics).toEqual({ viewTop1: 0.9 });
    expect(Buffer.from(readModelBytes(ws, m1)).equals(Buffer.from(bytes1))).toBe(true);
    expect(() => getModel(ws, 'nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() =>
      registerModel(ws, { kind: 'bogus' as 'encoder', name: 'x', bytes: bytes1, config: {} }),
    ).toThrow(/unknown model kind/);
    // a damaged file is refused, not run
    writeFileSync(modelPath(ws, m1), 'garbage');
    expect(() => readModelBytes(ws, m1)).toThrow(/damaged/);
    ws.close();
  });

  it('copies a transformer folder in by content hash', () => {
    const ws = openWorkspace(join(tmp(), 'w.concord'), { create: true });
    const folder = join(tmp(), 'tiny');
    mkdirSync(folder);
    writeFileSync(join(folder, 'model.onnx'), buildTinyBert(tinyBertWeights()));
    writeFileSync(join(folder, 'tokenizer.json'), JSON.stringify(tinyBertTokenizerJson()));
    const m = registerTransformerFolder(ws, folder, 'tiny-bert');
    expect(m).toMatchObject({
      kind: 'transformer',
      name: 'tiny-bert',
      version: 1,
      path: `models/${m.sha256}`,
    });
    expect(m.config).toMatchObject({ maxLength: 16, pooling: 'mean' });
    expect(existsSync(join(modelPath(ws, m), 'model.onnx'))).toBe(true);
    expect(existsSync(join(modelPath(ws, m), 'tokenizer.json'))).toBe(true);
    expect(registerTransformerFolder(ws, folder, 'tiny-bert').id).toBe(m.id);
    ws.close();
  });

  it('stores embedding matrices beside the workspace and reads them back', () => {
    const ws = openWorkspace(join(tmp(), 'w.concord'), { create: true });
    const m = registerModel(ws, { kind: 'encoder', name: 'enc', bytes: encoderBytes(1), config: {} });
    const matrix = Float32Array.from({ length: 12 }, (_, i) => i / 10);
    const rec = saveEmbeddings(ws, { modelId: m.id, scope: 'records', keys: [10, 20, 30], matrix, dims: 4 });
    expect(rec).toMatchObject({
      modelId: m.id,
      rows: 3,
      dims: 4,
      scope: 'records',
      path: `embeddings/${rec.sha256}.f32`,
    });
    expect(listEmbeddings(ws, { modelId: m.id })).toEqual([rec]);
    const back = loadEmbeddings(ws, rec);
    expect(back.matrix).toEqual(matrix);
    expect(Array.from(back.keys)).toEqual([10, 20, 30]);
    expect(() => saveEmbeddings(ws, { modelId: m.id, scope: 'x', keys: [1], matrix, dims: 4 })).toThrow(
      /expected 1 × 4/,
    );
    ws.close();
  });
});
