import { describe, expect, it } from 'vitest';
import { exportEncoder } from '../../models/encoder/graph.js';
import { makeManifest } from '../../models/encoder/manifest.js';
import { initEncoder } from './encoder.js';
import { listExecutionProviders, parseProviderPreference } from './providers.js';
import { createSession, describeChoice, probeExecutionProviders } from './session.js';

const featurizer = { version: 1, buckets: 64, minN: 3, maxN: 5, maxFeatures: 16 };
const bytes = exportEncoder(
  initEncoder({ featurizer, dim: 4, outDim: 4 }, 1),
  makeManifest({ name: 's', version: 1, dim: 4, outDim: 4, featurizer }),
);
const hasCuda = listExecutionProviders().find((p) => p.name === 'cuda')!.available;

describe('execution provider choice', () => {
  it('parses preferences from settings, CPU always last', () => {
    expect(parseProviderPreference('cuda, DirectML')).toEqual(['cuda', 'dml', 'cpu']);
    expect(parseProviderPreference(['cpu', 'cuda'])).toEqual(['cpu', 'cuda']);
    expect(parseProviderPreference(undefined).at(-1)).toBe('cpu');
    expect(() => parseProviderPreference('tpu')).toThrow(/unknown execution provider "tpu"/);
  });

  it('runs on CPU when asked', async () => {
    const { session, choice } = await createSession(bytes, { providers: ['cpu'] });
    expect(choice).toMatchObject({ provider: 'cpu', fallbackReason: null, failures: [] });
    await session.release();
  });

  it('asks for CUDA: runs on it where it works, else falls back to CPU with a clear reason', async () => {
    const { session, choice } = await createSession(bytes, { providers: ['cuda'] });
    expect(choice.requested).toEqual(['cuda', 'cpu']);
    expect(session.inputNames).toEqual(['ids']); // the session really works
    await session.release();
    if (choice.provider === 'cuda') {
      expect(choice.fallbackReason).toBeNull();
      return;
    }
    // this machine (no GPU, no CUDA provider library): a real attempt failed, CPU took over
    expect(hasCuda).toBe(false);
    expect(choice.provider).toBe('cpu');
    expect(choice.failures.map((f) => f.provider)).toEqual(['cuda']);
    expect(choice.fallbackReason).toMatch(
      /^cuda: (session could not start: .+|not available on this machine .+)/,
    );
    expect(choice.fallbackReason).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12|library|not available/);
    expect(describeChoice(choice)).toMatch(/^cpu \(fell back: cuda: /);
    // and the provider list (concord doctor, the UI) says so
    const cuda = listExecutionProviders().find((p) => p.name === 'cuda')!;
    expect(cuda.lastError).toBe(choice.failures[0].error);
    expect(cuda.note).toContain('fell back');
    expect(listExecutionProviders().find((p) => p.name === 'cpu')!.inUse).toBe(true);
  });

  it('skips providers this platform cannot have, saying why', async () => {
    const other = process.platform === 'darwin' ? 'dml' : 'coreml';
    const { session, choice } = await createSession(bytes, { providers: [other, 'cpu'] });
    expect(choice.provider).toBe('cpu');
    expect(choice.fallbackReason).toMatch(
      new RegExp(`^${other}: not available on this machine \\((Windows|macOS) only\\)`),
    );
    await session.release();
  });

  it('probes every provider for real and reports what works', async () => {
    const statuses = await probeExecutionProviders();
    const cpu = statuses.find((p) => p.name === 'cpu')!;
    expect(cpu).toMatchObject({ available: true, inUse: true });
    for (const p of statuses) {
      if (p.name === 'cpu') continue;
      // each other provider either ran a session or says why it could not
      expect(p.inUse === true || typeof p.lastError === 'string').toBe(true);
    }
  });

  it('keeps the fields concord doctor reads', () => {
    for (const p of listExecutionProviders()) {
      expect(typeof p.name).toBe('string');
      expect(typeof p.available).toBe('boolean');
      expect(typeof p.note).toBe('string');
    }
    expect(listExecutionProviders().map((p) => p.name)).toEqual(['cuda', 'dml', 'coreml', 'cpu']);
  });
});
