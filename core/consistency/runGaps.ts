// Being written: detection over a workspace.
import type { GapsSummary } from '../api/contract.js';
import type { ProgressListener } from '../jobs/progress.js';
export interface DetectOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}
export async function detectWorkspaceGaps(_file: string, _options: DetectOptions = {}): Promise<GapsSummary> {
  throw new Error('not implemented');
}
