import { generateStore } from '../../fixtures/generator/index.js';
import type { GeneratedStore, GenerateStoreOptions } from '../../fixtures/generator/types.js';
import { importFile } from '../ingest/importFile.js';
import { openWorkspace } from '../store/workspace.js';

/** A generated store (fixtures/generator) imported into the new workspace `ws`, channel by channel in priority order. */
export async function importGeneratedStore(
  ws: string,
  options: GenerateStoreOptions,
): Promise<GeneratedStore> {
  const store = await generateStore(options);
  openWorkspace(ws, { create: true }).close();
  for (const c of store.channels) await importFile({ workspace: ws, file: c.path, channel: c.name });
  return store;
}
