/**
 * Consistency settings stored in the workspace's `settings` table: assortment rules (and the built-in status rule
 * switch), the price / weight tolerances, the title words detection learned last (titleContrasts.ts), and whether
 * detection follows every alignment job.
 */
import type Database from 'better-sqlite3';
import type { AssortmentRule, DetectSettings, RulesSettings, Tolerances } from '../api/contract.js';
import { TitleContrasts } from './titleContrasts.js';

/** DESIGN.md "Gaps": prices 1 % relative, weights 5 %. */
export const DEFAULT_TOLERANCES: Tolerances = { pricePct: 1, salePricePct: 1, weightPct: 5 };

const KEY = {
  rules: 'rules',
  builtinStatus: 'rules.builtinStatus',
  tolerances: 'gaps.tolerances',
  titleContrasts: 'gaps.titleContrasts',
  autoDetect: 'gaps.autoDetectAfterAlign',
} as const;

function read<T>(db: Database.Database, key: string): T | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  return row === undefined ? undefined : (JSON.parse(row) as T);
}

function write(db: Database.Database, key: string, value: unknown): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, JSON.stringify(value));
}

/** The words that told the store's products apart at the last detection (none before one). */
export function getTitleContrasts(db: Database.Database): TitleContrasts {
  return TitleContrasts.fromJson(read<[string, string][]>(db, KEY.titleContrasts) ?? []);
}

export function setTitleContrasts(db: Database.Database, contrasts: TitleContrasts): void {
  write(db, KEY.titleContrasts, contrasts.toJson());
}

export function getTolerances(db: Database.Database): Tolerances {
  return { ...DEFAULT_TOLERANCES, ...read<Partial<Tolerances>>(db, KEY.tolerances) };
}

export function setTolerances(db: Database.Database, t: Tolerances): Tolerances {
  write(db, KEY.tolerances, t);
  return getTolerances(db);
}

export function getRulesSettings(db: Database.Database): RulesSettings {
  return {
    rules: read<AssortmentRule[]>(db, KEY.rules) ?? [],
    builtinStatusRule: read<boolean>(db, KEY.builtinStatus) ?? true,
  };
}

/** Stores already-validated rules (see rules.ts `parseRules`). */
export function setRulesSettings(db: Database.Database, settings: Partial<RulesSettings>): RulesSettings {
  db.transaction(() => {
    if (settings.rules !== undefined) write(db, KEY.rules, settings.rules);
    if (settings.builtinStatusRule !== undefined) write(db, KEY.builtinStatus, settings.builtinStatusRule);
  })();
  return getRulesSettings(db);
}

/** Off until the user turns it on: detection on a large store takes a while. */
export function getDetectSettings(db: Database.Database): DetectSettings {
  return { autoDetectAfterAlign: read<boolean>(db, KEY.autoDetect) ?? false };
}

export function setDetectSettings(db: Database.Database, settings: DetectSettings): DetectSettings {
  write(db, KEY.autoDetect, settings.autoDetectAfterAlign);
  return getDetectSettings(db);
}
