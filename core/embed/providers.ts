import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** ONNX Runtime execution providers Concord can select (DESIGN.md "Models and inference"). */
export const EXECUTION_PROVIDERS = ['cuda', 'dml', 'coreml', 'cpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

export interface ProviderStatus {
  name: ExecutionProvider;
  available: boolean;
  note: string;
  /** Compiled into this onnxruntime-node build (its `listSupportedBackends()`); null when ORT could not be loaded. */
  compiled?: boolean | null;
  /** A session in this process has run on it. */
  inUse?: boolean;
  /** Why the last session that asked for it fell back (in this process), if it did. */
  lastError?: string;
}

function ortBinaryDir(): string | null {
  try {
    const root = dirname(require.resolve('onnxruntime-node/package.json'));
    const bin = join(root, 'bin');
    const napi = readdirSync(bin).find((d) => d.startsWith('napi-'));
    return napi ? join(bin, napi, process.platform, process.arch) : null;
  } catch {
    return null;
  }
}

let compiledCache: Set<string> | null | undefined;

/** The providers compiled into the installed onnxruntime-node, or null when it cannot be loaded. */
export function compiledProviders(): Set<string> | null {
  if (compiledCache !== undefined) return compiledCache;
  try {
    const ort = require('onnxruntime-node') as { listSupportedBackends?: () => Array<{ name: string }> };
    compiledCache = new Set((ort.listSupportedBackends?.() ?? []).map((b) => b.name));
  } catch {
    compiledCache = null;
  }
  return compiledCache;
}

/** The NVIDIA driver's user-space library, which the CUDA provider needs at run time. */
function nvidiaDriverPresent(): boolean {
  if (process.platform === 'linux') {
    if (existsSync('/proc/driver/nvidia/version')) return true;
    const dirs = [
      '/usr/lib/x86_64-linux-gnu',
      '/usr/lib64',
      '/usr/lib/aarch64-linux-gnu',
      '/usr/lib/wsl/lib',
      '/usr/local/cuda/lib64',
    ];
    return dirs.some((d) => existsSync(join(d, 'libcuda.so.1')));
  }
  if (process.platform === 'win32')
    return existsSync(join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'nvcuda.dll'));
  return false;
}

// ---- what sessions in this process chose (session.ts reports here) -----------------------------------------

const lastErrors = new Map<ExecutionProvider, string>();
const inUse = new Set<ExecutionProvider>();

/** Called by session.ts after creating a session: which provider runs it and which ones failed on the way. */
export function recordProviderUse(
  provider: ExecutionProvider,
  failures: ReadonlyArray<{ provider: ExecutionProvider; error: string }>,
): void {
  inUse.add(provider);
  for (const f of failures) lastErrors.set(f.provider, f.error);
  lastErrors.delete(provider);
}

/** What this machine's onnxruntime-node build offers, without starting a session. */
export function listExecutionProviders(): ProviderStatus[] {
  const dir = ortBinaryDir();
  const has = (file: string) => dir !== null && existsSync(join(dir, file));
  const cudaLib =
    process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  const compiled = compiledProviders();
  const isCompiled = (name: string): boolean | null => (compiled === null ? null : compiled.has(name));
  const driver = nvidiaDriverPresent();
  const statuses: ProviderStatus[] = [
    {
      name: 'cuda',
      available: (process.platform === 'linux' || process.platform === 'win32') && has(cudaLib),
      note:
        process.platform === 'darwin'
          ? 'not on macOS'
          : has(cudaLib)
            ? `CUDA provider library present (needs an NVIDIA driver, CUDA 12 and cuDNN 9 at run time; driver ${driver ? 'found' : 'not found'})`
            : 'not installed: run `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (see README "GPU")',
      compiled: isCompiled('cuda'),
    },
    {
      name: 'dml',
      available: process.platform === 'win32' && isCompiled('dml') !== false,
      note: process.platform === 'win32' ? 'DirectML ships with onnxruntime-node on Windows' : 'Windows only',
      compiled: isCompiled('dml'),
    },
    {
      name: 'coreml',
      available: process.platform === 'darwin' && isCompiled('coreml') !== false,
      note: process.platform === 'darwin' ? 'CoreML ships with onnxruntime-node on macOS' : 'macOS only',
      compiled: isCompiled('coreml'),
    },
    { name: 'cpu', available: true, note: 'always available; the fallback', compiled: isCompiled('cpu') },
  ];
  for (const s of statuses) {
    s.inUse = inUse.has(s.name);
    const err = lastErrors.get(s.name);
    if (err !== undefined) {
      s.lastError = err;
      s.note = `${s.note}; failed to start a session in this process (fell back to the next provider): ${err}`;
    } else if (s.inUse) s.note = `${s.note}; in use`;
  }
  return statuses;
}

/** The default preference order (DESIGN.md): CUDA, DirectML, CoreML, then CPU, as the platform has them. */
export function defaultProviderPreference(): ExecutionProvider[] {
  if (process.platform === 'win32') return ['cuda', 'dml', 'cpu'];
  if (process.platform === 'darwin') return ['coreml', 'cpu'];
  return ['cuda', 'cpu'];
}

/**
 * A preference from settings or `CONCORD_EXECUTION_PROVIDERS` ("cuda,cpu"): known names in order, duplicates
 * dropped, CPU always last as the fallback. Unknown names throw (a typo in settings should be seen).
 */
export function parseProviderPreference(
  value: string | readonly string[] | undefined | null,
): ExecutionProvider[] {
  const raw = value == null ? [] : typeof value === 'string' ? value.split(',') : [...value];
  const names = raw.map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  if (names.length === 0) return defaultProviderPreference();
  const out: ExecutionProvider[] = [];
  for (const n of names) {
    const p = n === 'directml' ? 'dml' : n;
    if (!(EXECUTION_PROVIDERS as readonly string[]).includes(p)) {
      throw new Error(`unknown execution provider "${n}" (known: ${EXECUTION_PROVIDERS.join(', ')})`);
    }
    if (!out.includes(p as ExecutionProvider)) out.push(p as ExecutionProvider);
  }
  if (!out.includes('cpu')) out.push('cpu');
  return out;
}
