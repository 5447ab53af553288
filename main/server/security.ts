import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';

/**
 * The local server's gatekeeping: a random token (so no other local user or web page can drive it), the Host check
 * (so a DNS-rebinding page cannot reach it under a foreign name) and the Origin check (so no other site's page can
 * send it requests), plus the security headers of every response.
 */

export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensEqual(expected: string, given: string | undefined | null): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The number of Host headers a request carried (Node keeps only the first in `req.headers`, so a second, foreign
 * one would pass unseen): anything but exactly one is answered 400.
 */
export function hostHeaderCount(rawHeaders: string[]): number {
  let n = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === 'host') n++;
  return n;
}

/** Parse a Host header into (name, port); the name lowercased, IPv6 kept in brackets. Null when malformed. */
export function parseHostHeader(host: string | undefined): { name: string; port: number | null } | null {
  if (!host) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(host.trim());
  if (!m) return null;
  return { name: m[1].toLowerCase(), port: m[2] === undefined ? null : Number(m[2]) };
}

/**
 * True when a request's Host names this server: a loopback name or the bound address, with the bound port. When the
 * server is bound to a non-loopback address (--host 0.0.0.0), any IP literal is also accepted (an IP literal cannot
 * be rebound by DNS), but never another DNS name.
 */
export function hostAllowed(hostHeader: string | undefined, boundHost: string, port: number): boolean {
  const h = parseHostHeader(hostHeader);
  if (!h || h.port !== port) return false;
  const bound = net.isIPv6(boundHost) ? `[${boundHost.toLowerCase()}]` : boundHost.toLowerCase();
  if (LOOPBACK_NAMES.includes(h.name) || h.name === bound) return true;
  const wildcard = boundHost === '0.0.0.0' || boundHost === '::';
  const bare = h.name.startsWith('[') ? h.name.slice(1, -1) : h.name;
  return wildcard && net.isIP(bare) !== 0;
}

/** True when the Origin header is absent (a non-browser client) or the server's own origin for this Host. */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!hostHeader) return false;
  return origin.toLowerCase() === `http://${hostHeader.toLowerCase()}`;
}

/**
 * The token a request carries: the X-Lab-Token header or a `token` query parameter. Never a cookie: cookies are not
 * isolated by port, so a browser sends a cookie of 127.0.0.1:A to every other server on 127.0.0.1 too.
 */
export function requestToken(req: IncomingMessage, url: URL, allow: { header?: boolean; query?: boolean }): string | undefined {
  if (allow.header) {
    const h = req.headers['x-lab-token'];
    if (typeof h === 'string' && h) return h;
  }
  if (allow.query) {
    const q = url.searchParams.get('token');
    if (q) return q;
  }
  return undefined;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/** The Content-Security-Policy of every page: scripts and styles only from the server itself, no framing. */
export function contentSecurityPolicy(hostHeader: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://${hostHeader}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function setSecurityHeaders(res: ServerResponse, hostHeader: string): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(hostHeader));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), serial=()');
}
