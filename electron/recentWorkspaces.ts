/**
 * The Recent Workspaces list (File ▸ Recent Workspaces), kept as JSON in userData (`recent-workspaces.json`).
 * main.ts also reports each entry to the OS (app.addRecentDocument: macOS Dock, Windows jump list).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { readJson, writeJson } from './jsonFile.js';

const RecentFileSchema = z.object({ version: z.literal(1), workspaces: z.array(z.string().min(1)) });

export class RecentWorkspaces {
  constructor(
    private readonly file: string,
    private readonly max = 10,
    private readonly exists: (path: string) => boolean = existsSync,
  ) {}

  private read(): string[] {
    return readJson(this.file, RecentFileSchema)?.workspaces ?? [];
  }

  private write(list: string[]): void {
    writeJson(this.file, { version: 1, workspaces: list.slice(0, this.max) });
  }

  /** Most recent first; workspaces whose file is gone are left out. */
  list(): string[] {
    return this.read().filter((p) => this.exists(p));
  }

  add(path: string): string[] {
    const abs = resolve(path);
    const list = [abs, ...this.read().filter((p) => p !== abs)].slice(0, this.max);
    this.write(list);
    return this.list();
  }

  remove(path: string): string[] {
    const abs = resolve(path);
    this.write(this.read().filter((p) => p !== abs));
    return this.list();
  }

  clear(): void {
    this.write([]);
  }
}
