import Database from 'better-sqlite3';
import { probeExecutionProviders } from '../../embed/session.js';
import { SCHEMA_VERSION } from '../../store/workspace.js';
import type { Command } from '../command.js';
import { findChromium, findElectronBinary, packageVersion } from '../environment.js';
import { formatTable, writeJson } from '../io.js';

export const doctorCommand: Command = {
  name: 'doctor',
  summary:
    'Show versions, ONNX execution providers (each tried with a tiny model), and whether Electron and Chromium were found.',
  usage: 'concord doctor [--json]',
  help: '',
  options: { json: { type: 'boolean' } },
  async run({ values }) {
    const db = new Database(':memory:');
    const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    db.close();
    const electron = findElectronBinary();
    const report = {
      concord: packageVersion('concord') ?? '0.1.0',
      workspaceSchema: SCHEMA_VERSION,
      node: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
      sqlite,
      betterSqlite3: packageVersion('better-sqlite3'),
      onnxruntime: packageVersion('onnxruntime-node'),
      executionProviders: await probeExecutionProviders(),
      electron: { package: packageVersion('electron'), binary: electron.path, note: electron.reason },
      chromium: findChromium(),
    };
    if (values.json) {
      writeJson(report);
      return 0;
    }
    const lines = [
      `concord            ${report.concord} (workspace schema ${report.workspaceSchema})`,
      `node               ${report.node} on ${report.platform}`,
      `sqlite             ${report.sqlite} (better-sqlite3 ${report.betterSqlite3})`,
      `onnxruntime-node   ${report.onnxruntime}`,
      `electron           ${report.electron.package ?? 'not installed'}: ${report.electron.binary ?? `binary not found — ${report.electron.note}; \`npm start\` runs web mode`}`,
      `chromium           ${report.chromium ?? 'not found (set CHROME_PATH or install chromium)'}`,
      '',
      'ONNX execution providers:',
      formatTable(
        ['provider', 'available', 'note'],
        report.executionProviders.map((p) => [p.name, p.available ? 'yes' : 'no', p.note]),
      ),
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};
