/**
 * `npm run bench -- soak [--minutes M] [--clients N] [--http-clients H] [--kills K] [--products P] [--seed S]
 * [--think-ms T]`: the web server under a long mixed load, as the web UI drives it. `concord serve` runs as a child
 * process on a copy of the gaps benchmark's workspace (3 channels × P products, default 100,000, aligned, gaps
 * detected; built by those benchmarks when missing). N clients (default 20) call for M minutes (default 10): N − H
 * over their own WebSocket (the API: pages of gaps, products, clusters, sources, settings, the match queue, and
 * now and then a gap status set and undone), H (default 4) over HTTP (the page, and small uploads). Each waits
 * 0–2×T ms (default T 100) between calls. K times (default 2), at random moments (seeded by S), the worker process
 * is killed (SIGKILL): the server must restart it and the calls after must succeed.
 *
 * Reports latency p50/p95/p99 per method group, errors by code (those while a killed worker restarts apart from
 * the rest), each kill's recovery time, and the RSS of the server and the worker: idle, after warm-up (the first 10 %
 * of the run, at most 60 s), at the end, and whether it grew by more than 10 % from after warm-up to the end, read
 * as the medians of the samples (every 5 s) in a window after warm-up and in the run's last window of the same
 * length (RSS swings with each garbage collection). The worker at the end is the one started after the last kill,
 * so its growth compares two processes under one load.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { GAP_KINDS } from '../core/api/contract.js';
import { gapsSummary } from '../core/consistency/gapStore.js';
import { ConcordError } from '../core/model/errors.js';
import { ApiSocket } from '../core/server/wsClient.js';
import { openWorkspace } from '../core/store/workspace.js';
import { httpRequest, type HttpReply } from '../core/test-support/http.js';
import { startServe, type ServeProcess } from '../core/test-support/serve.js';
import { shopifyCsv } from '../core/test-support/shopifyCsv.js';
import { Rng } from '../fixtures/generator/index.js';
import { alignedBenchWorkspace } from './gaps.js';
import { benchOptions } from './options.js';
import { quantile } from './stats.js';
import { round, scoreGaps } from './storeWorkspace.js';

const log = (m: string): void => void process.stderr.write(`[bench soak] ${m}\n`);
const ROOT = resolve(import.meta.dirname, '..', '..');
const RSS_EVERY_MS = 5000;

interface Options {
  minutes: number;
  clients: number;
  httpClients: number;
  kills: number;
  products: number;
  seed: number;
  thinkMs: number;
}

export async function soakBench(argv: string[]): Promise<unknown> {
  const options = parseOptions(argv);
  const ws = await soakWorkspace(options);
  const durationMs = options.minutes * 60_000;
  const warmupMs = Math.min(60_000, durationMs / 10);

  log(`starting concord serve on ${ws}`);
  const serve = await startServe(ROOT, ws, 120_000);
  const server = new ServerWatch(serve);
  const url = `ws://127.0.0.1:${serve.port}/api/ws?token=${serve.token}`;
  const probe = await ApiSocket.connect(url);
  const pools = await gatherPools(probe);
  const rss = new RssWatch(server);
  const idle = rss.sample(0);
  const rec = new Recorder();
  const rng = new Rng(options.seed, 'soak');
  const wsClients = options.clients - options.httpClients;
  const sockets = await Promise.all(Array.from({ length: wsClients }, () => ApiSocket.connect(url)));

  log(
    `${options.minutes} min, ${wsClients} WebSocket + ${options.httpClients} HTTP clients, ${options.kills} worker kills`,
  );
  const started = performance.now();
  const until = started + durationMs;
  rec.origin = started;
  const sampler = setInterval(() => rss.sample(performance.now() - started), RSS_EVERY_MS);
  const killTimes = killSchedule(rng.fork('kills'), options.kills, durationMs, warmupMs);
  const [kills] = await Promise.all([
    killWorker(server, probe, killTimes, started),
    ...sockets.map((s, i) => wsClient(s, pools, rng.fork(`ws${i}`), until, rec, options.thinkMs)),
    ...Array.from({ length: options.httpClients }, (_, i) =>
      httpClient(serve, rng.fork(`http${i}`), until, rec, options.thinkMs),
    ),
  ]);
  clearInterval(sampler);
  const end = rss.sample(performance.now() - started);
  const seconds = (performance.now() - started) / 1000;

  for (const s of [probe, ...sockets]) s.close();
  serve.child.kill('SIGTERM');
  await new Promise((done) => (serve.child.exitCode !== null ? done(null) : serve.child.once('exit', done)));

  const atWarm = rss.firstAfter(warmupMs);
  const restarts = kills.map((k) => [k.atMs, k.recoveredAtMs ?? Infinity] as const);
  const duringRestart = (at: number) => restarts.some(([from, to]) => at >= from && at <= to);
  const errorsDuring = rec.errors.filter((e) => duringRestart(e.atMs));
  const errorsOutside = rec.errors.filter((e) => !duringRestart(e.atMs));
  const growth = (from: number | null, to: number | null) =>
    from && to ? round((100 * (to - from)) / from, 1) : null;
  // RSS swings with each garbage collection (±15 % within a minute at this load): growth compares the median of a
  // window after warm-up with the median of the run's last window of the same length, not two single samples.
  const window = Math.max(warmupMs, RSS_EVERY_MS * 6);
  const early = rss.median(warmupMs, warmupMs + window);
  const late = rss.median(durationMs - window, Infinity);
  const serverGrowth = growth(early.server, late.server);
  const workerGrowth = growth(early.worker, late.worker);
  return {
    config: { ...options, seconds: round(seconds, 1), warmupSeconds: round(warmupMs / 1000, 1) },
    workspace: { file: ws, ...pools.counts },
    machine: { cpus: cpus().length, loadavg: loadavg().map((v) => round(v)) },
    calls: { total: rec.calls, perSecond: round(rec.calls / seconds, 1) },
    latencyMs: rec.latencyByGroup(),
    errors: {
      total: rec.errors.length,
      byCode: countBy(rec.errors, (e) => e.code),
      whileWorkerRestarted: countBy(errorsDuring, (e) => e.code),
      otherwise: countBy(errorsOutside, (e) => e.code),
      examples: examples(rec.errors),
    },
    kills: kills.map((k) => ({
      atSeconds: round(k.atMs / 1000, 1),
      pid: k.pid,
      newPid: k.newPid,
      recoverySeconds: k.recoveredAtMs === null ? null : round((k.recoveredAtMs - k.atMs) / 1000, 2),
      failedCalls: rec.errors.filter((e) => e.atMs >= k.atMs && e.atMs <= (k.recoveredAtMs ?? Infinity))
        .length,
    })),
    rssMB: {
      server: { pid: serve.child.pid, idle: idle.serverMB, afterWarmup: atWarm.serverMB, end: end.serverMB },
      worker: {
        pids: server.workerPids(),
        idle: idle.workerMB,
        afterWarmup: atWarm.workerMB,
        end: end.workerMB,
      },
      max: rss.max(),
      medianAfterWarmup: early,
      medianLastWindow: late,
      windowSeconds: round(window / 1000, 1),
      growthPct: { server: serverGrowth, worker: workerGrowth },
      grewOver10Pct: {
        server: serverGrowth === null ? null : serverGrowth > 10,
        worker: workerGrowth === null ? null : workerGrowth > 10,
      },
    },
    pass: {
      workerRestartedAfterEachKill:
        kills.length === options.kills && kills.every((k) => k.recoveredAtMs !== null),
      noErrorsButWhileRestarting: errorsOutside.length === 0,
      rssGrowthAtMost10Pct: serverGrowth !== null && serverGrowth <= 10 && (workerGrowth ?? 0) <= 10,
    },
  };
}

function parseOptions(argv: string[]): Options {
  const values = benchOptions(argv, {
    minutes: 10,
    clients: 20,
    'http-clients': 4,
    kills: 2,
    products: 100_000,
    seed: 42,
    'think-ms': 100,
  });
  const number = (name: keyof typeof values, fallback: number, min: number): number => {
    const n = values[name];
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} takes a number ≥ ${min}, got ${n}`);
    return n;
  };
  const options: Options = {
    minutes: number('minutes', 10, 0.1),
    clients: Math.round(number('clients', 20, 1)),
    httpClients: Math.round(number('http-clients', 4, 0)),
    kills: Math.round(number('kills', 2, 0)),
    products: Math.round(number('products', 100_000, 1)),
    seed: number('seed', 42, 0),
    thinkMs: number('think-ms', 100, 0),
  };
  if (options.httpClients >= options.clients)
    throw new Error('--http-clients must leave at least one WebSocket client');
  return options;
}

/**
 * A fresh copy of the gaps benchmark's workspace (aligned, gaps detected), so that the soak's edits and uploads
 * never touch the workspace the other benchmarks measure.
 */
async function soakWorkspace(options: Options): Promise<string> {
  const { dir, ws } = await alignedBenchWorkspace(options.products, options.seed, log);
  const source = openWorkspace(ws, { readonly: true });
  const detected = gapsSummary(source.db) !== null;
  source.close();
  if (!detected) {
    log('no gaps detected yet: detecting them (the gaps benchmark)');
    await scoreGaps(ws, join(dir, 'store'), log);
  }
  const copyDir = resolve('.bench/soak', `p${options.products}-s${options.seed}`);
  const copy = join(copyDir, 'soak.concord');
  rmSync(copyDir, { recursive: true, force: true });
  mkdirSync(copyDir, { recursive: true });
  log(`copying the workspace to ${copyDir}`);
  cpSync(ws, copy);
  if (existsSync(`${ws}.d`))
    cpSync(`${ws}.d`, `${copy}.d`, {
      recursive: true,
      filter: (from) => !/[/\\](uploads|writer\.(lock|json))$/.test(from),
    });
  return copy;
}

/** Ids the clients pick from: gaps, products (clusters), channels, sources, words of titles. */
interface Pools {
  gapIds: number[];
  clusterIds: string[];
  channels: string[];
  sourceIds: number[];
  words: string[];
  counts: { sources: number; records: number; gaps: number; clusters: number };
}

async function gatherPools(api: ApiSocket): Promise<Pools> {
  const info = await api.call('workspace.current', {});
  const sources = await api.call('sources.list', {});
  const gaps = await api.call('gaps.list', { limit: 1000 });
  const clusters = await api.call('clusters.list', { multiOnly: true, limit: 500 });
  const words = [
    ...new Set(
      gaps.rows.flatMap((r) => (r.title ?? '').split(/\s+/)).filter((w) => /^[A-Za-z]{4,}$/.test(w)),
    ),
  ].slice(0, 200);
  if (gaps.rows.length === 0 || clusters.items.length === 0)
    throw new Error('the soak workspace has no gaps or no products: run `npm run bench -- gaps` first');
  return {
    gapIds: gaps.rows.map((r) => r.id),
    clusterIds: [
      ...new Set([...gaps.rows.map((r) => r.clusterId), ...clusters.items.map((c) => c.clusterId)]),
    ],
    channels: sources.map((s) => s.channel),
    sourceIds: sources.map((s) => s.id),
    words: words.length ? words : ['product'],
    counts: {
      sources: sources.length,
      records: info?.counts.records ?? 0,
      gaps: gaps.total,
      clusters: clusters.total,
    },
  };
}

/** One call as the client saw it went wrong. */
interface CallError {
  atMs: number;
  group: string;
  code: string;
  message: string;
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`HTTP ${status} ${body}`);
  }
}

/** Latencies by method group and the errors, with the time each happened (ms since the soak started). */
class Recorder {
  origin = performance.now();
  calls = 0;
  readonly errors: CallError[] = [];
  private readonly latencies = new Map<string, number[]>();

  async time(group: string, call: () => Promise<unknown>): Promise<void> {
    const t = performance.now();
    this.calls++;
    try {
      await call();
      const list = this.latencies.get(group) ?? [];
      list.push(performance.now() - t);
      this.latencies.set(group, list);
    } catch (err) {
      this.errors.push({
        atMs: performance.now() - this.origin,
        group,
        code:
          err instanceof ConcordError
            ? err.code
            : err instanceof HttpStatusError
              ? `HTTP_${err.status}`
              : (err as Error).name,
        message: (err as Error).message.slice(0, 200),
      });
    }
  }

  latencyByGroup(): Record<string, { calls: number; p50: number; p95: number; p99: number; max: number }> {
    const out: Record<string, { calls: number; p50: number; p95: number; p99: number; max: number }> = {};
    for (const [group, list] of [...this.latencies].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...list].sort((a, b) => a - b);
      out[group] = {
        calls: sorted.length,
        p50: round(quantile(sorted, 0.5), 1),
        p95: round(quantile(sorted, 0.95), 1),
        p99: round(quantile(sorted, 0.99), 1),
        max: round(sorted[sorted.length - 1] ?? 0, 1),
      };
    }
    return out;
  }
}

type Call = (api: ApiSocket, pools: Pools, rng: Rng, rec: Recorder) => Promise<void>;

/** What a WebSocket client does, with how often (relative weights): the web UI's calls. */
const WS_CALLS: { weight: number; call: Call }[] = [
  { weight: 4, call: (api, _p, _r, rec) => rec.time('workspace', () => api.call('workspace.current', {})) },
  { weight: 3, call: (api, _p, _r, rec) => rec.time('sources', () => api.call('sources.list', {})) },
  {
    weight: 3,
    call: (api, p, r, rec) =>
      rec.time('sources', () =>
        api.call('sources.warnings', { sourceId: r.pick(p.sourceIds), offset: r.int(0, 2000), limit: 200 }),
      ),
  },
  { weight: 8, call: (api, _p, _r, rec) => rec.time('gaps.summary', () => api.call('gaps.summary', {})) },
  {
    weight: 30,
    call: (api, p, r, rec) =>
      rec.time('gaps.list', () =>
        api.call('gaps.list', {
          filter: r.weighted(
            [
              {},
              { channels: [r.pick(p.channels)] },
              { kinds: [r.pick(GAP_KINDS)] },
              { query: r.pick(p.words) },
            ],
            [4, 2, 2, 1],
          ),
          sort: {
            column: r.pick(['severity', 'kind', 'channel', 'title'] as const),
            direction: r.pick(['asc', 'desc'] as const),
          },
          offset: r.chance(0.7) ? 0 : r.int(0, 20_000),
          limit: 200,
        }),
      ),
  },
  {
    weight: 10,
    call: (api, p, r, rec) =>
      rec.time('gaps.product', () => api.call('gaps.product', { clusterId: r.pick(p.clusterIds) })),
  },
  {
    weight: 8,
    call: (api, p, r, rec) =>
      rec.time('clusters', () =>
        api.call('clusters.list', {
          query: r.chance(0.5) ? r.pick(p.words) : undefined,
          offset: r.int(0, 2000),
          limit: 100,
        }),
      ),
  },
  {
    weight: 6,
    call: (api, p, r, rec) =>
      rec.time('clusters', () => api.call('clusters.get', { clusterId: r.pick(p.clusterIds) })),
  },
  {
    weight: 3,
    call: (api, _p, _r, rec) => rec.time('matches', () => api.call('matches.queue', { limit: 20 })),
  },
  { weight: 2, call: (api, _p, _r, rec) => rec.time('align', () => api.call('align.summary', {})) },
  { weight: 4, call: (api, _p, _r, rec) => rec.time('jobs', () => api.call('jobs.list', {})) },
  {
    weight: 4,
    call: (api, p, r, rec) =>
      rec.time('settings', () =>
        r.pick([
          () => api.call('rules.get', {}),
          () => api.call('gaps.tolerances', {}),
          () => api.call('categories.map', { channel: r.pick(p.channels) }),
        ])(),
      ),
  },
  {
    // An edit, taken back: the workspace ends as it began.
    weight: 2,
    call: async (api, p, r, rec) => {
      await rec.time('gaps.edit', () =>
        api.call('gaps.setStatus', {
          ids: [r.pick(p.gapIds)],
          status: r.pick(['accepted', 'ignored'] as const),
        }),
      );
      await rec.time('gaps.edit', () => api.call('gaps.undoStatus', {}));
    },
  },
];

async function wsClient(
  api: ApiSocket,
  pools: Pools,
  rng: Rng,
  until: number,
  rec: Recorder,
  thinkMs: number,
): Promise<void> {
  const weights = WS_CALLS.map((c) => c.weight);
  while (performance.now() < until) {
    await rng.weighted(WS_CALLS, weights).call(api, pools, rng, rec);
    await delay(rng.float(0, 2 * thinkMs));
  }
}

const UPLOAD = Buffer.from(shopifyCsv(60));

/** An HTTP client: loads the page (with its token) and uploads a small export now and then. */
async function httpClient(
  serve: ServeProcess,
  rng: Rng,
  until: number,
  rec: Recorder,
  thinkMs: number,
): Promise<void> {
  const auth = { Authorization: `Bearer ${serve.token}` };
  const expect = (ok: (status: number) => boolean) => async (reply: Promise<HttpReply>) => {
    const { status, body } = await reply;
    if (!ok(status)) throw new HttpStatusError(status, body);
  };
  // 503 is the page saying the UI is not built (renderer/dist): still the server's answer.
  const pageOk = expect((s) => s === 200 || s === 503);
  const uploadOk = expect((s) => s === 200);
  while (performance.now() < until) {
    if (rng.chance(0.75))
      await rec.time('http.page', () => pageOk(httpRequest(serve.port, '/', { headers: auth })));
    else
      await rec.time('http.upload', () =>
        uploadOk(
          httpRequest(serve.port, '/api/upload?name=soak.csv', {
            method: 'POST',
            headers: auth,
            body: UPLOAD,
          }),
        ),
      );
    await delay(rng.float(0, 2 * thinkMs));
  }
}

/** The server process and its worker processes, as its log names them. */
class ServerWatch {
  constructor(readonly serve: ServeProcess) {}

  workerPids(): number[] {
    return [...this.serve.stderr().matchAll(/worker process (\d+) started/g)].map((m) => Number(m[1]));
  }

  workerPid(): number | null {
    return this.workerPids().at(-1) ?? null;
  }
}

/** `count` moments at random in the middle of the run (after warm-up, before the last tenth), apart. */
function killSchedule(rng: Rng, count: number, durationMs: number, warmupMs: number): number[] {
  const from = Math.max(warmupMs + durationMs * 0.05, durationMs * 0.2);
  const to = durationMs * 0.9;
  const slot = (to - from) / Math.max(1, count);
  return Array.from({ length: count }, (_, i) => from + slot * i + rng.float(0.1, 0.9) * slot);
}

interface Kill {
  atMs: number;
  pid: number | null;
  newPid: number | null;
  /** When a call made after the kill first succeeded (null: never, within 60 s). */
  recoveredAtMs: number | null;
}

/** Kills the worker at each moment (SIGKILL) and times how long until a call succeeds again. */
async function killWorker(
  server: ServerWatch,
  probe: ApiSocket,
  at: number[],
  started: number,
): Promise<Kill[]> {
  const kills: Kill[] = [];
  for (const t of at) {
    await delay(Math.max(0, started + t - performance.now()));
    const pid = server.workerPid();
    const atMs = performance.now() - started;
    if (pid !== null) process.kill(pid, 'SIGKILL');
    log(`killed the worker (pid ${pid}) at ${round(atMs / 1000, 1)} s`);
    let recoveredAtMs: number | null = null;
    while (recoveredAtMs === null && performance.now() - started - atMs < 60_000) {
      try {
        await probe.call('workspace.current', {});
        if (server.workerPid() !== pid) recoveredAtMs = performance.now() - started;
      } catch {
        await delay(50);
      }
    }
    kills.push({ atMs, pid, newPid: server.workerPid(), recoveredAtMs });
    log(
      recoveredAtMs === null
        ? 'the worker did not come back within 60 s'
        : `calls succeed again after ${round((recoveredAtMs - atMs) / 1000, 2)} s (worker pid ${server.workerPid()})`,
    );
  }
  return kills;
}

interface RssSample {
  atMs: number;
  serverMB: number | null;
  workerMB: number | null;
  workerPid: number | null;
}

/** RSS of the server and its current worker, sampled over the run. */
class RssWatch {
  readonly samples: RssSample[] = [];

  constructor(private readonly server: ServerWatch) {}

  sample(atMs: number): RssSample {
    const workerPid = this.server.workerPid();
    const s: RssSample = {
      atMs,
      serverMB: rssMB(this.server.serve.child.pid ?? null),
      workerMB: rssMB(workerPid),
      workerPid,
    };
    this.samples.push(s);
    return s;
  }

  firstAfter(atMs: number): RssSample {
    return this.samples.find((s) => s.atMs >= atMs) ?? this.samples[this.samples.length - 1];
  }

  /** Median RSS of the samples taken from `fromMs` to `toMs`. */
  median(fromMs: number, toMs: number): { server: number | null; worker: number | null } {
    const inWindow = this.samples.filter((s) => s.atMs >= fromMs && s.atMs <= toMs);
    const mid = (values: (number | null)[]) => {
      const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
      return v.length === 0 ? null : quantile(v, 0.5);
    };
    return { server: mid(inWindow.map((s) => s.serverMB)), worker: mid(inWindow.map((s) => s.workerMB)) };
  }

  max(): { server: number | null; worker: number | null } {
    const top = (values: (number | null)[]) =>
      values.reduce<number | null>((m, v) => (v !== null && (m === null || v > m) ? v : m), null);
    return {
      server: top(this.samples.map((s) => s.serverMB)),
      worker: top(this.samples.map((s) => s.workerMB)),
    };
  }
}

/** Resident set size in MB: /proc on Linux, `ps` elsewhere; null when the process is gone. */
function rssMB(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    if (kb) return round(Number(kb[1]) / 1024, 1);
  } catch {
    // not Linux, or gone
  }
  try {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return Number.isFinite(kb) && kb > 0 ? round(kb / 1024, 1) : null;
  } catch {
    return null;
  }
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** One message per (group, code): what went wrong, in words. */
function examples(errors: readonly CallError[]): string[] {
  const seen = new Map<string, string>();
  for (const e of errors) if (!seen.has(`${e.group} ${e.code}`)) seen.set(`${e.group} ${e.code}`, e.message);
  return [...seen].slice(0, 20).map(([key, message]) => `${key}: ${message}`);
}
