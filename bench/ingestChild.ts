/** Runs one import in its own process so its peak RSS is measured alone. Prints JSON. */
import { importFile } from '../core/ingest/importFile.js';
import { openWorkspace } from '../core/store/workspace.js';

const [ws, file] = process.argv.slice(2);
openWorkspace(ws, { create: true }).close();
const t = performance.now();
const r = await importFile({ workspace: ws, file, channel: 'shopify' });
const seconds = (performance.now() - t) / 1000;
process.stdout.write(
  JSON.stringify({
    seconds,
    rows: r.rows,
    records: r.records,
    warnings: r.warnings,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
