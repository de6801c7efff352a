/**
 * The main window's size, position and maximized state, remembered in userData (`window-state.json`). A saved
 * position is used only if the window would still be visible on one of the current displays (a monitor may have
 * been unplugged since).
 */
import { z } from 'zod';
import { readJson, writeJson } from './jsonFile.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const WindowStateSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_WINDOW_SIZE = { width: 900, height: 600 };
/** How much of the title bar must lie on a display for a saved position to be kept. */
const VISIBLE_MARGIN = { width: 120, height: 40 };

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/** Makes a saved (or absent) state safe for the current displays' work areas. */
export function fitToDisplays(state: WindowState | null, workAreas: Rect[]): WindowState {
  const s = state ?? DEFAULT_WINDOW_STATE;
  const largest = workAreas.reduce<Rect | null>(
    (best, r) => (!best || r.width * r.height > best.width * best.height ? r : best),
    null,
  );
  const width = Math.max(MIN_WINDOW_SIZE.width, largest ? Math.min(s.width, largest.width) : s.width);
  const height = Math.max(MIN_WINDOW_SIZE.height, largest ? Math.min(s.height, largest.height) : s.height);
  const result: WindowState = { width, height, maximized: s.maximized };
  if (s.x !== undefined && s.y !== undefined) {
    const titleBar: Rect = { x: s.x, y: s.y, width, height: VISIBLE_MARGIN.height };
    const visible = workAreas.some((area) => {
      const o = overlap(titleBar, area);
      return o.width >= VISIBLE_MARGIN.width && o.height >= VISIBLE_MARGIN.height;
    });
    if (visible) {
      result.x = s.x;
      result.y = s.y;
    }
  }
  return result;
}

export function loadWindowState(file: string, workAreas: Rect[]): WindowState {
  return fitToDisplays(readJson(file, WindowStateSchema), workAreas);
}

export function saveWindowState(file: string, state: WindowState): void {
  writeJson(file, WindowStateSchema.parse(state));
}

/** The state to save: the normal (un-maximized) bounds, so un-maximizing later restores a sensible size. */
export function stateFromWindow(normalBounds: Rect, maximized: boolean): WindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.round(normalBounds.width),
    height: Math.round(normalBounds.height),
    maximized,
  };
}
