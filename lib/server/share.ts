/**
 * The server's share links (read-only viewer tokens). server.ts hands them to the guard and
 * socket.io; route handlers (bundled separately by Next, same process) make and revoke
 * them, so the one store sits on globalThis as the app does.
 */
import { ViewerTokens } from '../security/viewers';

const KEY = Symbol.for('flowbook.shareLinks');
type Holder = { [KEY]?: ViewerTokens };

export function shareLinks(): ViewerTokens {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= new ViewerTokens());
}

/** The path a share link opens (relative: the page adds its own origin). */
export function followUrl(notebookId: string, token: string): string {
  return `/follow/${encodeURIComponent(notebookId)}?viewer=${encodeURIComponent(token)}`;
}
