/**
 * ONNX Runtime sessions with the execution provider chosen as DESIGN.md says: the preference list from settings
 * (`cuda`, `dml`, `coreml`, `cpu`), each tried in turn for real, CPU as the fallback. The result says which
 * provider runs the session and, when it is not the first choice, why — for the UI and `concord doctor`.
 */
import type * as OrtNs from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-node';
import { exportEncoder } from '../../models/encoder/graph.js';
import { makeManifest } from '../../models/encoder/manifest.js';
import { initEncoder } from './encoder.js';
import {
  compiledProviders,
  EXECUTION_PROVIDERS,
  listExecutionProviders,
  parseProviderPreference,
  recordProviderUse,
  type ExecutionProvider,
  type ProviderStatus,
} from './providers.js';

export interface SessionOptions {
  /** Preference order (settings); default: the platform's order (see defaultProviderPreference). */
  providers?: readonly string[] | string;
  /** Threads for one operator on CPU (default: ORT's choice, the number of cores). */
  intraOpThreads?: number;
}

export interface ProviderChoice {
  /** The provider the session runs on. */
  provider: ExecutionProvider;
  /** The preference list that was tried, in order. */
  requested: ExecutionProvider[];
  /** Why an earlier preference was not used (null when the first choice worked). */
  fallbackReason: string | null;
  /** Each provider tried or skipped before the one chosen. */
  failures: Array<{ provider: ExecutionProvider; error: string }>;
}

export interface OrtSession {
  session: InferenceSession;
  choice: ProviderChoice;
}

type Ort = typeof OrtNs;
let ortModule: Promise<Ort> | null = null;

/** onnxruntime-node, loaded on first use (its native library is not needed until a model runs). */
export function loadOrt(): Promise<Ort> {
  ortModule ??= import('onnxruntime-node').then((ort) => {
    // ORT's own logger prints provider load failures to stderr; createSession reports them instead.
    // CONCORD_ORT_LOG_LEVEL=warning (or verbose, info, error) brings its log back.
    const level = process.env.CONCORD_ORT_LOG_LEVEL;
    ort.env.logLevel =
      level === 'verbose' || level === 'info' || level === 'warning' || level === 'error' ? level : 'fatal';
    return ort;
  });
  return ortModule;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split('\n')[0] ?? msg).trim();
}

/**
 * Creates a session on the first provider of the preference list that works. Providers that this platform or
 * this onnxruntime build cannot have are skipped with the reason; the others are tried for real (a missing CUDA
 * library or driver fails here) and the failure is kept. CPU always works, so this only throws for a bad model.
 */
export async function createSession(
  model: string | Uint8Array,
  options: SessionOptions = {},
): Promise<OrtSession> {
  const ort = await loadOrt();
  const requested = parseProviderPreference(options.providers);
  const statuses = new Map(listExecutionProviders().map((s) => [s.name, s]));
  const compiled = compiledProviders();
  const failures: ProviderChoice['failures'] = [];
  const base: InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
  };
  for (const provider of requested) {
    const status = statuses.get(provider);
    if (provider !== 'cpu') {
      const platformOk =
        (provider === 'cuda' && (process.platform === 'linux' || process.platform === 'win32')) ||
        (provider === 'dml' && process.platform === 'win32') ||
        (provider === 'coreml' && process.platform === 'darwin');
      if (!platformOk || (compiled !== null && !compiled.has(provider))) {
        failures.push({
          provider,
          error: `not available on this machine (${status?.note ?? 'unknown provider'})`,
        });
        continue;
      }
    }
    try {
      const sessionOptions: InferenceSession.SessionOptions = {
        ...base,
        executionProviders: [provider],
        // A provider that fails to load logs through ORT's logger too; the reason is reported here instead.
        logSeverityLevel: provider === 'cpu' ? 2 : 4,
      };
      const session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, sessionOptions)
          : await ort.InferenceSession.create(model, sessionOptions);
      const choice: ProviderChoice = {
        provider,
        requested,
        fallbackReason:
          failures.length === 0 ? null : failures.map((f) => `${f.provider}: ${f.error}`).join('; '),
        failures,
      };
      recordProviderUse(provider, failures);
      return { session, choice };
    } catch (err) {
      if (provider === 'cpu') throw err;
      const hint = status && !status.available ? ` (${status.note})` : '';
      failures.push({ provider, error: `session could not start: ${firstLine(err)}${hint}` });
    }
  }
  throw new Error('no execution provider could run the model'); // unreachable: cpu is always in the list
}

/** One-line summary for logs and the status bar, e.g. "cpu (cuda: session could not start: …)". */
export function describeChoice(choice: ProviderChoice): string {
  return choice.fallbackReason ? `${choice.provider} (fell back: ${choice.fallbackReason})` : choice.provider;
}

/**
 * Starts a tiny session on every provider this machine might have, so that the list says which ones really work
 * (`concord doctor --probe`, the settings page): a provider that fails gets `lastError` and a note saying so.
 */
export async function probeExecutionProviders(): Promise<ProviderStatus[]> {
  const featurizer = { version: 1, buckets: 16, minN: 3, maxN: 5, maxFeatures: 8 };
  const bytes = exportEncoder(
    initEncoder({ featurizer, dim: 2, outDim: 2 }, 1),
    makeManifest({ name: 'probe', version: 1, dim: 2, outDim: 2, featurizer }),
  );
  for (const provider of EXECUTION_PROVIDERS) {
    const { session } = await createSession(bytes, { providers: [provider] });
    await session.release();
  }
  return listExecutionProviders();
}
