import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, CancelMessageSchema, RequestMessageSchema, type ServerMessage } from '../api/contract.js';
import type { HandlerContext } from '../app/context.js';
import { dispatch } from '../app/dispatch.js';
import { WorkspaceSession } from '../app/session.js';
import { JobRunner } from '../jobs/jobRunner.js';
import { ERROR_CODES } from '../model/errors.js';
import { importFile } from '../ingest/importFile.js';
import { openWorkspace } from '../store/workspace.js';
import { alignWorkspace } from '../align/alignWorkspace.js';
import { generateStore } from '../../fixtures/generator/index.js';
import { MalformedMessage, type ChannelServer } from '../rpc/server.js';
import type { Transport } from '../rpc/transport.js';
import { useSuiteTempDir } from '../test-support/tmp.js';
import { startWorkerService } from '../worker/service.js';
import { decodeClientFrame, MAX_MESSAGE_DEPTH, nestsDeeperThan } from './wsMessage.js';

/**
 * Fuzz of what a WebSocket client can send (issue #13): the frame decoder, then a web-mode worker (the real worker
 * service and dispatch) on a real workspace. Invariants: nothing throws, every request gets exactly one answer (a
 * result or an error with a known code other than INTERNAL), and the workspace stays as it was when the answer is
 * an error. Seeded and bounded in runs and time: a failure prints its seed and the shrunk input.
 */
const SEED = 1307;
const MAX_BYTES = 64 * 1024;
const settings = { seed: SEED, numRuns: 300, interruptAfterTimeLimit: 1000 };

/** Methods that start long jobs (training, alignment): random valid params would keep the CPU busy, not test parsing. */
const JOB_METHODS = new Set(['embed.start', 'align.start', 'matches.retrain', 'gaps.detect', 'graph.build']);
const METHODS = Object.keys(API).filter((m) => !JOB_METHODS.has(m));

/** The top-level param names of a method, so that generated params often pass validation and reach the handler. */
function paramNames(method: string): string[] {
  const def = (API[method as keyof typeof API].params as z.ZodType)._zod.def as { shape?: object };
  return Object.keys(def.shape ?? {});
}

/** Values a handler may choke on: record and cluster ids that exist or not, edge numbers, short and odd strings, wrong types. */
const paramValue = fc.oneof(
  fc.integer({ min: -2, max: 30 }),
  fc.constantFrom(0.5, -0, 1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -1, max: 60 }).map((n) => `c${n}`),
  fc.array(
    fc.integer({ min: 0, max: 60 }).map((n) => `c${n}`),
    { maxLength: 3 },
  ),
  fc.constantFrom('shopify', 'woocommerce', 'open', 'fixed', 'ignored', 'match', 'nonmatch', ''),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: -1, max: 30 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), {
    maxKeys: 3,
  }),
);

const methodParams = fc.constantFrom(...METHODS).chain((method) => {
  const names = paramNames(method);
  const params = names.length > 0 ? fc.dictionary(fc.constantFrom(...names), paramValue) : fc.constant({});
  return params.map((p) => ({ type: 'request', id: 9, method, params: p }));
});

/** Request-shaped messages: contract methods (and some that are not), params of any JSON or wrong types. */
const requestValue = fc.record(
  {
    type: fc.oneof(fc.constant('request'), fc.constant('cancel'), fc.string()),
    id: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
    method: fc.oneof(fc.constantFrom(...METHODS), fc.string(), fc.integer()),
    params: fc.oneof(fc.jsonValue(), fc.constant(undefined)),
  },
  { requiredKeys: ['type', 'id', 'method'] },
);

/** `[[[…]]]` or `{"a":{"a":…}}` nested `depth` levels, as text. */
const deepText = fc
  .record({ depth: fc.integer({ min: 1, max: 20_000 }), objects: fc.boolean() })
  .map(({ depth, objects }) =>
    objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`,
  );

interface Frame {
  bytes: Buffer;
  isBinary: boolean;
}

const text = (s: string): Frame => ({ bytes: Buffer.from(s, 'utf8'), isBinary: false });

/** A frame as a client might send it: broken bytes, any JSON, requests, deep nesting, huge strings, cut off. */
const frame: fc.Arbitrary<Frame> = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((b) => ({ bytes: Buffer.from(b), isBinary: false })),
  fc.uint8Array({ maxLength: 64 }).map((b) => ({ bytes: Buffer.from(b), isBinary: true })),
  fc.jsonValue().map((v) => text(JSON.stringify(v))),
  fc.oneof(requestValue, methodParams).map((v) => text(JSON.stringify(v))),
  fc.oneof(requestValue, methodParams).chain((v) => {
    const whole = JSON.stringify(v);
    return fc.integer({ min: 0, max: whole.length }).map((cut) => text(whole.slice(0, cut)));
  }),
  fc.record({ params: deepText, binary: fc.boolean() }).map(({ params, binary }) => {
    const f = text(`{"type":"request","id":7,"method":"rules.set","params":${params}}`);
    return { ...f, isBinary: binary };
  }),
  fc
    .integer({ min: 0, max: 2 * MAX_BYTES })
    .map((n) =>
      text(JSON.stringify({ type: 'request', id: 8, method: 'app.info', params: { s: 'x'.repeat(n) } })),
    ),
  fc.string({ unit: 'binary', maxLength: 200 }).map(text),
);

/** For the worker: mostly requests for contract methods with plausible params, so that handlers run. */
const workerFrame = fc.oneof(
  { arbitrary: methodParams.map((v) => text(JSON.stringify(v))), weight: 3 },
  { arbitrary: frame, weight: 1 },
);

/** The deepest nesting of arrays and objects in a value, without recursion (values may nest 20,000 levels). */
function depthOf(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** What the decoder must return for a frame, worked out the slow way: undefined where it must refuse it. */
function expectedMessage({ bytes, isBinary }: Frame): { value: unknown } | undefined {
  if (isBinary || bytes.length > MAX_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  return depthOf(value) > MAX_MESSAGE_DEPTH ? undefined : { value };
}

/** An in-memory client connection: what the server posts goes through JSON, as over a WebSocket. */
function connect(server: ChannelServer): { send(message: unknown): void; received: ServerMessage[] } {
  const received: ServerMessage[] = [];
  let listener: (message: unknown) => void = () => {};
  const transport: Transport = {
    post: (message) => void received.push(JSON.parse(JSON.stringify(message)) as ServerMessage),
    close: () => {},
    onMessage: (l) => void (listener = l),
    onClose: () => {},
  };
  server.connect(transport);
  return { send: (message) => listener(message), received };
}

async function until(test: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`${what}: nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('fuzz: WebSocket frames from a client', () => {
  it('the depth scan agrees with the parsed value for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ depthSize: 'large' }), fc.integer({ min: 0, max: 8 }), (value, limit) => {
        expect(nestsDeeperThan(JSON.stringify(value), limit)).toBe(depthOf(value) > limit);
      }),
      settings,
    );
  });

  it('decodes any frame without throwing: a MalformedMessage, or exactly the JSON it holds within the limits', () => {
    fc.assert(
      fc.property(frame, (f) => {
        const decoded = decodeClientFrame(f.bytes, f.isBinary, MAX_BYTES);
        const expected = expectedMessage(f);
        if (expected === undefined) {
          expect(decoded).toBeInstanceOf(MalformedMessage);
          expect((decoded as MalformedMessage).reason).toMatch(/^(binary messages|message is|message nests)/);
        } else {
          expect(decoded).toStrictEqual(expected.value);
        }
      }),
      settings,
    );
  });

  describe('a web-mode worker on a real workspace', () => {
    const dir = useSuiteTempDir('concord-fuzz-ws-');
    let workspace: string;
    let server: ChannelServer;
    let worker: HandlerContext;
    let reader: Database.Database;

    beforeAll(async () => {
      // A small aligned store with detected gaps, so that ids in the fuzzed params find records, clusters and gaps.
      const store = await generateStore({
        outDir: join(dir(), 'store'),
        products: 12,
        seed: 'ws-fuzz',
        channels: ['shopify', 'woocommerce'],
      });
      workspace = join(dir(), 'fuzz.concord');
      openWorkspace(workspace, { create: true }).close();
      for (const ch of store.channels) await importFile({ workspace, file: ch.path, channel: ch.name });
      await alignWorkspace(workspace, { gbdt: { nTrees: 10 }, maxTrainingPairs: 2000 });
      const setup: HandlerContext = { mode: 'test', session: new WorkspaceSession(), jobs: new JobRunner() };
      setup.session.open(workspace);
      const detect = await dispatch({ type: 'request', id: 1, method: 'gaps.detect', params: {} }, setup);
      if (!detect.ok) throw new Error(detect.error.message);
      expect((await setup.jobs.wait((detect.result as { jobId: string }).jobId)).status).toBe('done');
      setup.session.close();

      worker = startWorkerService(
        { serve: (s) => void (server = s), ready: () => {} },
        { mode: 'web', workspace },
      );
      reader = new Database(workspace, { readonly: true });
    });

    /** Changes whenever another connection (the worker's) commits to the workspace. */
    const dataVersion = () => reader.pragma('data_version', { simple: true }) as number;

    afterAll(() => {
      reader?.close();
      worker?.session.close();
    });

    it('answers a write request that fails in its handler without writing to the workspace', async () => {
      // The fuzz's first find: every write handler reopened the workspace, which committed its application id.
      const version = dataVersion();
      const client = connect(server);
      client.send({
        type: 'request',
        id: 3,
        method: 'clusters.split',
        params: { clusterId: 'shopify', recordIds: [0] },
      });
      await until(() => client.received.length > 0, 'clusters.split');
      expect(client.received).toMatchObject([
        { id: 3, ok: false, error: { code: 'BAD_INPUT', message: 'not a cluster id: "shopify"' } },
      ]);
      expect(dataVersion()).toBe(version);
    });

    it('answers every request exactly once with a result or a known error, and an error changes nothing', async () => {
      const clients: { received: ServerMessage[]; answers: number }[] = [];
      await fc.assert(
        fc.asyncProperty(workerFrame, async (f) => {
          const version = dataVersion();
          const client = connect(server);
          const decoded = decodeClientFrame(f.bytes, f.isBinary, MAX_BYTES);
          const answers = CancelMessageSchema.safeParse(decoded).success ? 0 : 1;
          clients.push({ received: client.received, answers });
          client.send(decoded);
          if (answers === 0) return;
          await until(() => client.received.length > 0, 'an answer');
          const [answer] = client.received;
          expect(answer.type).toBe('response');
          if (answer.type !== 'response') return;
          const request = RequestMessageSchema.safeParse(decoded);
          if (request.success) expect(answer.id).toBe(request.data.id);
          if (answer.ok) return;
          expect(ERROR_CODES).toContain(answer.error.code);
          expect(answer.error.code, answer.error.message).not.toBe('INTERNAL');
          expect(answer.error.message.length).toBeGreaterThan(0);
          expect(dataVersion(), 'an error answer, yet the workspace was written').toBe(version);
        }),
        settings,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(clients.filter((c) => c.received.length !== c.answers)).toEqual([]);

      const after = connect(server);
      after.send({ type: 'request', id: 1, method: 'workspace.current', params: {} });
      await until(() => after.received.length > 0, 'workspace.current after the fuzz');
      expect(after.received).toMatchObject([{ id: 1, ok: true, result: { path: workspace } }]);
    });
  });
});
