import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { contentSecurityPolicy } from '../api/contract.js';

/**
 * The cookie a page load with `?token=` sets, so the page's own asset and WebSocket requests carry the token. Named
 * per port: a browser keeps one cookie per name and host whatever the port, so two servers in one browser would
 * otherwise overwrite each other's token.
 */
export function tokenCookieName(port: number): string {
  return `concord_token_${port}`;
}

/** A fresh session token: 32 random bytes, hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Compares in constant time (hashes first, so lengths do not leak either). */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Headers on every response: strict CSP (no remote origins, no eval) and the usual hardening. */
export function securityHeaders(port: number): OutgoingHttpHeaders {
  return {
    'Content-Security-Policy': contentSecurityPolicy([`ws://127.0.0.1:${port}`]),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // CSP frame-ancestors covers current browsers; this covers old ones.
    'X-Frame-Options': 'DENY',
  };
}

export type Verdict =
  | { ok: true; tokenFrom: 'query' | 'header' | 'cookie' }
  | { ok: false; status: 401; code: 'UNAUTHORIZED'; message: string }
  | { ok: false; status: 403; code: 'FORBIDDEN'; message: string };

/**
 * The URL of a request, or null when it does not parse (e.g. `//[`, which `new URL` rejects). The base is only a
 * placeholder: the Host header is checked on its own.
 */
export function parseRequestUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/**
 * Checks one HTTP request or WebSocket upgrade: the Host must be this server (DNS rebinding), an Origin if sent
 * must be this server (cross-site pages), and the session token must come with it (query `token=`,
 * `Authorization: Bearer`, or the cookie). A token in the URL is the one that counts: with a wrong `?token=` the
 * request is refused even when the cookie holds the right one (a stale link never rides on the cookie).
 */
export class RequestGuard {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;
  private readonly cookieName: string;

  constructor(
    port: number,
    private readonly token: string,
  ) {
    this.hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
    this.cookieName = tokenCookieName(port);
  }

  check(req: IncomingMessage, url: URL): Verdict {
    const host = req.headers.host?.toLowerCase();
    if (!host || !this.hosts.has(host))
      return {
        ok: false,
        status: 403,
        code: 'FORBIDDEN',
        message: `forbidden: Host "${req.headers.host ?? ''}" is not this server`,
      };
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin.toLowerCase())) {
      return {
        ok: false,
        status: 403,
        code: 'FORBIDDEN',
        message: `forbidden: Origin "${origin}" is not this server`,
      };
    }
    const fromQuery = url.searchParams.get('token');
    if (fromQuery !== null) return this.verdict(fromQuery, 'query');
    const auth = req.headers.authorization;
    if (auth !== undefined) return this.verdict(/^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '', 'header');
    const fromCookie = readCookie(req.headers.cookie, this.cookieName);
    if (fromCookie !== null) return this.verdict(fromCookie, 'cookie');
    return {
      ok: false,
      status: 401,
      code: 'UNAUTHORIZED',
      message: 'unauthorized: the session token is missing (open the URL `concord serve` printed)',
    };
  }

  /** Set on a page load that brought the token in its URL. */
  cookie(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }

  private verdict(given: string, tokenFrom: 'query' | 'header' | 'cookie'): Verdict {
    if (tokensEqual(given, this.token)) return { ok: true, tokenFrom };
    return {
      ok: false,
      status: 401,
      code: 'UNAUTHORIZED',
      message: 'unauthorized: wrong session token (open the URL `concord serve` printed)',
    };
  }
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
