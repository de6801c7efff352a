/** Web mode's session token and Origin checks, seen from a browser (DESIGN.md "Web mode security"). */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, test } from './support.js';

/** Opens a WebSocket from the page and reports whether the server accepted it. */
function tryWebSocket(page: Page, url: string): Promise<string> {
  return page.evaluate(
    (u) =>
      new Promise<string>((done) => {
        const ws = new WebSocket(u);
        ws.onopen = () => {
          ws.close();
          done('open');
        };
        ws.onerror = () => done('refused');
        setTimeout(() => done('timeout'), 10_000);
      }),
    url,
  );
}

test('loading the app without the token is refused with 401', async ({ browser, server }) => {
  const context = await browser.newContext(); // no cookie from an earlier load
  const page = await context.newPage();
  const bare = await page.goto(`${server.origin}/`);
  expect(bare?.status()).toBe(401);
  await expect(page.locator('body')).toContainText(/unauthori[sz]ed/i);
  const wrong = await page.goto(`${server.origin}/?token=${'0'.repeat(server.token.length)}`);
  expect(wrong?.status()).toBe(401);
  // Same origin but neither token nor cookie: the socket is refused too.
  expect(await tryWebSocket(page, `ws://127.0.0.1:${server.port}/api/ws`)).toBe('refused');
  await context.close();
});

test('the token leaves the address bar and the session survives a reload', async ({ app: page, server }) => {
  expect(page.url()).toBe(`${server.origin}/`);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
});

test('a WebSocket from a page on another origin is refused, even with the token', async ({
  app: page,
  server,
}) => {
  const socketUrl = `ws://127.0.0.1:${server.port}/api/ws?token=${server.token}`;
  // Control: from the app's own origin the same URL is accepted.
  expect(await tryWebSocket(page, socketUrl)).toBe('open');

  const other = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title><p>another site</p>');
  });
  await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
  try {
    const otherPage = await page.context().newPage();
    await otherPage.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
    expect(await tryWebSocket(otherPage, socketUrl)).toBe('refused');
    await otherPage.close();
  } finally {
    await new Promise<void>((done) => other.close(() => done()));
  }
});
