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

/** What this machine's onnxruntime-node build offers, without starting a session. */
export function listExecutionProviders(): ProviderStatus[] {
  const dir = ortBinaryDir();
  const has = (file: string) => dir !== null && existsSync(join(dir, file));
  const cudaLib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return [
    {
      name: 'cuda',
      available: (process.platform === 'linux' || process.platform === 'win32') && has(cudaLib),
      note:
        process.platform === 'darwin'
          ? 'not on macOS'
          : has(cudaLib)
            ? 'CUDA provider library present (needs an NVIDIA driver, CUDA 12 and cuDNN 9 at run time)'
            : 'not installed: run `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (see README "GPU")',
    },
    {
      name: 'dml',
      available: process.platform === 'win32',
      note: process.platform === 'win32' ? 'DirectML ships with onnxruntime-node on Windows' : 'Windows only',
    },
    {
      name: 'coreml',
      available: process.platform === 'darwin',
      note: process.platform === 'darwin' ? 'CoreML ships with onnxruntime-node on macOS' : 'macOS only',
    },
    { name: 'cpu', available: true, note: 'always available; the fallback' },
  ];
}
