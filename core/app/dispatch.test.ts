import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs/jobRunner.js';
import { ConcordError } from '../model/errors.js';
import { useTempDir } from '../test-support/tmp.js';
import { API, PATH_PARAMS, type ResponseMessage } from '../api/contract.js';
import { dispatch } from './dispatch.js';
import { handlers, type HandlerContext, type Handlers } from './handlers.js';
import { WorkspaceSession } from './session.js';

function context(mode: HandlerContext['mode'] = 'test'): HandlerContext {
  return { mode, session: new WorkspaceSession(), jobs: new JobRunner() };
}

/** Every string field of a params schema with its dotted path (array items as `[]`, record values as `*`). */
function stringFields(schema: z.ZodType, path = ''): string[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const inner = (s: unknown, p: string) => stringFields(s as z.ZodType, p);
  switch (def.type) {
    case 'string':
      return [path];
    case 'object':
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([k, v]) =>
        inner(v, path ? `${path}.${k}` : k),
      );
    case 'optional':
    case 'default':
    case 'nullable':
      return inner(def.innerType, path);
    case 'union':
      return (def.options as unknown[]).flatMap((o) => inner(o, path));
    case 'array':
      return inner(def.element, `${path}[]`);
    case 'record':
      return inner(def.valueType, `${path}.*`);
    default:
      return [];
  }
}

const request = (id: number, method: string, params?: unknown) => ({ type: 'request', id, method, params });

function errorOf(response: ResponseMessage) {
  if (response.ok) throw new Error(`expected an error response, got ${JSON.stringify(response)}`);
  return response.error;
}

describe('dispatch', () => {
  const tmp = useTempDir();

  it('answers a known method with its result and the request id', async () => {
    const response = await dispatch(request(7, 'app.info', {}), context());
    expect(response).toMatchObject({ type: 'response', id: 7, ok: true, result: { mode: 'test' } });
    expect(await dispatch(request(8, 'workspace.current'), context())).toEqual({
      type: 'response',
      id: 8,
      ok: true,
      result: null,
    });
  });

  it('refuses an unknown method, naming it', async () => {
    const error = errorOf(await dispatch(request(1, 'sources.drop', {}), context()));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/^unknown method "sources\.drop" \(known: app\.info, /);
    expect(error.details).toEqual({ method: 'sources.drop' });
  });

  it('refuses a message that is not a request, keeping its id when it has one', async () => {
    const noMethod = await dispatch({ type: 'request', id: 4 }, context());
    expect(noMethod).toMatchObject({ id: 4, ok: false, error: { code: 'BAD_INPUT' } });
    expect(errorOf(noMethod).message).toMatch(/^not a request message: method: /);
    expect(await dispatch('hello', context())).toMatchObject({
      id: -1,
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
  });

  it('validates params with the contract: BAD_INPUT naming the field', async () => {
    const ctx = context();
    const wrongType = errorOf(await dispatch(request(2, 'sources.warnings', { sourceId: 'one' }), ctx));
    expect(wrongType.code).toBe('BAD_INPUT');
    expect(wrongType.message).toMatch(/^sources\.warnings: bad params: sourceId: /);
    expect(wrongType.details).toMatchObject({ method: 'sources.warnings', issues: [{ path: 'sourceId' }] });

    const nested = errorOf(
      await dispatch(
        request(3, 'import.start', { file: { uploadId: '../../etc/passwd' }, channel: 'shop' }),
        ctx,
      ),
    );
    expect(nested.code).toBe('BAD_INPUT');
    expect(nested.message).toContain('file');

    const extra = errorOf(await dispatch(request(4, 'jobs.list', { all: true }), ctx));
    expect(extra).toMatchObject({ code: 'BAD_INPUT' });
    expect(extra.message).toMatch(/all/);

    const tooMany = errorOf(
      await dispatch(request(5, 'import.preview', { file: { path: '/x.csv' }, rows: 5000 }), ctx),
    );
    expect(tooMany.message).toMatch(/rows: /);
  });

  it('passes parsed params with defaults to the handler', async () => {
    let seen: unknown;
    const custom: Handlers = {
      ...handlers,
      'sources.warnings': async (params) => {
        seen = params;
        return [];
      },
    };
    await dispatch(request(1, 'sources.warnings', { sourceId: 3 }), context(), { handlers: custom });
    expect(seen).toEqual({ sourceId: 3, offset: 0, limit: 200 });
  });

  it('keeps a ConcordError code and details, and maps anything else to INTERNAL', async () => {
    const custom: Handlers = {
      ...handlers,
      'jobs.list': async () => {
        throw new ConcordError('CONFLICT', 'busy', { jobId: 'j1' });
      },
      'jobs.cancel': async () => {
        throw new RangeError('index out of range');
      },
    };
    const ctx = context();
    expect(await dispatch(request(1, 'jobs.list', {}), ctx, { handlers: custom })).toEqual({
      type: 'response',
      id: 1,
      ok: false,
      error: { code: 'CONFLICT', message: 'busy', details: { jobId: 'j1' } },
    });
    const logged: string[] = [];
    expect(
      await dispatch(request(2, 'jobs.cancel', { jobId: 'x' }), ctx, {
        handlers: custom,
        log: (l) => logged.push(l),
      }),
    ).toEqual({
      type: 'response',
      id: 2,
      ok: false,
      error: {
        code: 'INTERNAL',
        message: 'internal error: index out of range',
        details: { name: 'RangeError' },
      },
    });
    expect(logged[0]).toMatch(/^jobs\.cancel failed: RangeError: index out of range\n\s+at /); // the stack stays in the worker's log
  });

  it('checks results against the contract in tests, so a handler cannot drift from it', async () => {
    const custom = { ...handlers, 'jobs.cancel': async () => ({ cancelled: 'yes' }) } as unknown as Handlers;
    const error = errorOf(
      await dispatch(request(1, 'jobs.cancel', { jobId: 'x' }), context(), { handlers: custom }),
    );
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/^jobs\.cancel returned a result that breaks the contract: cancelled: /);
    expect(
      await dispatch(request(2, 'jobs.cancel', { jobId: 'x' }), context(), {
        handlers: custom,
        validateResults: false,
      }),
    ).toMatchObject({
      ok: true,
      result: { cancelled: 'yes' },
    });
  });

  it('maps errors of the real handlers: no workspace is CONFLICT, a missing one NOT_FOUND', async () => {
    const ctx = context();
    expect(errorOf(await dispatch(request(1, 'sources.list', {}), ctx))).toMatchObject({
      code: 'CONFLICT',
      message: /no workspace is open/,
    });
    const missing = join(tmp(), 'nope.concord');
    expect(errorOf(await dispatch(request(2, 'workspace.open', { path: missing }), ctx))).toMatchObject({
      code: 'NOT_FOUND',
      details: { file: missing },
    });
  });

  it('declares every param that names a file or folder in PATH_PARAMS', () => {
    const named = Object.entries(API).flatMap(([method, spec]) =>
      stringFields(spec.params as z.ZodType)
        .filter((field) => /(path|file|folder|directory)$|^out$/i.test(field))
        .map((field) => `${method} ${field}`),
    );
    const declared = Object.entries(PATH_PARAMS).flatMap(([method, fields]) =>
      fields!.map((field) => `${method} ${field}`),
    );
    expect(declared.sort()).toEqual(named.sort());
  });

  it('refuses every path param from web mode (FORBIDDEN naming the field) and runs nothing', async () => {
    const ws = join(tmp(), 'served.concord');
    const secret = join(tmp(), 'secret.csv');
    writeFileSync(secret, 'sku,title\nA,secret row\n');
    const setup = context();
    await dispatch(request(1, 'workspace.create', { path: ws }), setup);
    const ctx: HandlerContext = { ...setup, mode: 'web' };
    const created = join(tmp(), 'other.concord');
    const calls: [string, Record<string, unknown>, string][] = [
      ['workspace.open', { path: ws }, 'path'],
      ['workspace.create', { path: created }, 'path'],
      ['import.preview', { file: { path: secret } }, 'file.path'],
      ['import.start', { file: { path: secret }, channel: 'shop' }, 'file.path'],
      ['embed.start', { modelFolder: tmp() }, 'modelFolder'],
      ['align.start', { labelsFile: secret }, 'labelsFile'],
      ['align.start', { truthFile: secret }, 'truthFile'],
      ['graph.export', { format: 'json', out: join(tmp(), 'graph.json') }, 'out'],
    ];
    expect(new Set(calls.map(([method, , field]) => `${method} ${field}`))).toEqual(
      new Set(Object.entries(PATH_PARAMS).flatMap(([m, fields]) => fields!.map((f) => `${m} ${f}`))),
    );
    const files = readdirSync(tmp()).sort();
    for (const [method, params, field] of calls) {
      const error = errorOf(await dispatch(request(2, method, params), ctx));
      expect(error, method).toMatchObject({ code: 'FORBIDDEN', details: { method, field } });
      expect(error.message).toMatch(
        new RegExp(`^${method.replace('.', '\\.')}: "${field}" names a file on this machine`),
      );
      expect(error.message).not.toContain('secret row');
    }
    expect(
      errorOf(await dispatch(request(3, 'import.preview', { file: { path: secret } }), ctx)).message,
    ).toMatch(/upload the file \(POST \/api\/upload\) and pass file: \{uploadId\}$/);
    expect(existsSync(created)).toBe(false);
    expect(readdirSync(tmp()).sort()).toEqual(files);
    expect(ctx.session.path).toBe(ws);
    expect(ctx.jobs.list()).toEqual([]);

    // The same calls without a path pass the check (an upload id that does not exist is NOT_FOUND, not FORBIDDEN).
    const upload = errorOf(
      await dispatch(request(4, 'import.preview', { file: { uploadId: 'a'.repeat(32) } }), ctx),
    );
    expect(upload.code).toBe('NOT_FOUND');
    // Local callers (desktop app, CLI) still pass paths.
    expect(await dispatch(request(5, 'import.preview', { file: { path: secret } }), setup)).toMatchObject({
      ok: true,
    });
    ctx.session.close();
  });
});
