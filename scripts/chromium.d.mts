// Types for scripts/chromium.mjs (plain JavaScript so that `node scripts/test.mjs` runs it without a build).
export type Found = { path: string; source: string };
export type NotFound = { error: string };

export const DEBIAN_CHROMIUM: string;
export const PLAYWRIGHT_INSTALL: string;
export const APT_INSTALL: string;

export function pickChromium(probe: {
  chromePath?: string;
  onPath?: string;
  playwrightPath?: string;
  exists: (path: string) => boolean;
}): Found | NotFound;

export type Host = { debian: boolean; root: boolean };
export type Step = { label: string; command: string; timeoutMs: number };

export function fetchPlan(host: Host): { steps: Step[]; advice: string };

export function findChromium(env?: NodeJS.ProcessEnv): Found | NotFound;

export function ensureChromium(options?: {
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  find?: () => Found | NotFound;
  host?: Host;
  run?: (step: Step) => boolean;
}): Found | (NotFound & { advice: string });
