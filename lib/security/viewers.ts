/**
 * Share links for a class: read-only viewer tokens, one per link, each for one notebook.
 * A token is shown once when the link is made; only its SHA-256 is kept (compared in
 * constant time), so neither the store nor a dump of it yields a usable link. Links expire
 * and can be revoked; they live in the server's memory, so a restart ends every link.
 * A viewer token never stands for the access token: the guard lets it read the notebook it
 * was made for, and nothing else (see viewerMayRequest).
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export interface ViewerGrant {
  shareId: string;
  notebookId: string;
  expiresAt: number;
  /** Executions of the notebook started while the link exists: the only ones a viewer may read. */
  executions: ReadonlySet<string>;
}

export interface ShareLinkSummary {
  id: string;
  notebookId: string;
  createdAt: string;
  expiresAt: string;
}

/** What the guard needs: a token's grant, if it is current. */
export interface ViewerLookup {
  check(token: string): ViewerGrant | undefined;
}

interface Entry {
  id: string;
  hash: Buffer;
  notebookId: string;
  createdAt: number;
  expiresAt: number;
  executions: Set<string>;
}

/** A share link lasts this long unless asked otherwise, and never more than MAX_TTL_MS. */
export const DEFAULT_TTL_MS = 4 * 60 * 60 * 1000;
export const MAX_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Executions remembered per link; the oldest are forgotten first. */
const MAX_EXECUTIONS = 1000;

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export class ViewerTokens implements ViewerLookup {
  private readonly entries = new Map<string, Entry>();
  private readonly revokeListeners = new Set<(shareId: string) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new link for a notebook: its id and the token, which is not kept and cannot be shown again. */
  create(notebookId: string, ttlMs = DEFAULT_TTL_MS): { token: string; link: ShareLinkSummary } {
    const ttl = Math.min(Math.max(60_000, Math.floor(ttlMs)), MAX_TTL_MS);
    const token = `v_${randomBytes(24).toString('base64url')}`;
    const at = this.now();
    const entry: Entry = { id: randomUUID(), hash: hashOf(token), notebookId, createdAt: at, expiresAt: at + ttl, executions: new Set() };
    this.entries.set(entry.id, entry);
    return { token, link: summary(entry) };
  }

  list(notebookId: string): ShareLinkSummary[] {
    this.prune();
    return [...this.entries.values()].filter((e) => e.notebookId === notebookId).map(summary);
  }

  /** Ends a link at once: its sockets are dropped by the listeners (realtime). */
  revoke(notebookId: string, shareId: string): boolean {
    const entry = this.entries.get(shareId);
    if (!entry || entry.notebookId !== notebookId) return false;
    this.entries.delete(shareId);
    for (const l of this.revokeListeners) l(shareId);
    return true;
  }

  onRevoke(listener: (shareId: string) => void): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }

  check(token: string): ViewerGrant | undefined {
    if (!token.startsWith('v_') || token.length > 100) return undefined;
    const hash = hashOf(token);
    const now = this.now();
    let found: Entry | undefined;
    // Every entry is compared, in constant time each, so timing says nothing of which matched.
    for (const e of this.entries.values()) if (timingSafeEqual(e.hash, hash) && e.expiresAt > now) found = e;
    return found && { shareId: found.id, notebookId: found.notebookId, expiresAt: found.expiresAt, executions: found.executions };
  }

  /** A run of a notebook started: viewers of its links may follow it. */
  noteExecution(notebookId: string, executionId: string): void {
    for (const e of this.entries.values()) {
      if (e.notebookId !== notebookId || e.executions.has(executionId)) continue;
      e.executions.add(executionId);
      if (e.executions.size > MAX_EXECUTIONS) e.executions.delete(e.executions.values().next().value as string);
    }
  }

  private prune(): void {
    const now = this.now();
    for (const [id, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(id);
  }
}

function summary(e: Entry): ShareLinkSummary {
  return { id: e.id, notebookId: e.notebookId, createdAt: new Date(e.createdAt).toISOString(), expiresAt: new Date(e.expiresAt).toISOString() };
}

/** The page a share link opens. */
export const followPath = (notebookId: string) => `/follow/${encodeURIComponent(notebookId)}`;

/**
 * What a viewer may request: reads only (GET, HEAD), of the page and the notebook it was
 * given and of the runs started since, the page's static assets, and socket.io (whose every
 * event is checked again by the realtime server). Everything else, every write among it, is refused.
 */
export function viewerMayRequest(method: string, path: string, grant: ViewerGrant): boolean {
  if (path.startsWith('/socket.io/')) return method === 'GET' || method === 'POST';
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (path === '/favicon.ico' || path === '/api/health' || path.startsWith('/_next/static/')) return true;
  const nb = encodeURIComponent(grant.notebookId);
  if (path === `/follow/${nb}` || path === `/api/notebooks/${nb}`) return true;
  const m = /^\/api\/executions\/([^/]+)(\/logs|\/files\/preview|\/files\/download|\/report)?$/.exec(path);
  return m !== null && grant.executions.has(decodeURIComponent(m[1]));
}
