/**
 * socket.io on the app's own HTTP server. Every engine.io request (the handshake, each
 * long-poll and post of a session, the websocket upgrade) passes the same path, Host,
 * Origin and token check as every HTTP request; a socket is authorised when it connects
 * and each event it sends is checked again. A subscription catches up from the store and
 * then joins the execution's room, where live events start exactly after the last line it
 * was sent; a follower too slow for the live stream goes back to catching up (follow.ts).
 */
import type http from 'node:http';
import { Server, type Socket } from 'socket.io';
import type {
  ClientToServerEvents, ExecutionDto, ExecutionFinishedPayload, LogDto, NotebookFocus, ServerToClientEvents, TaskRun,
} from '../contract';
import { SOCKET_PATH, WIRE_VERSION } from '../contract';
import type { SecurityConfig } from '../security/config';
import { guardSocketRequest, stillAuthorised, viewerGrantOf } from '../security/http-guard';
import type { ViewerGrant, ViewerTokens } from '../security/viewers';
import type { Broadcaster, EventPersister } from '../persistence/persister';
import type { Db } from '../db/client';
import { ExecutionFollowers, executionRoom } from './follow';

export { executionSnapshot } from './follow';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

const notebookRoom = (id: string) => `notebook:${id}`;

export function socketBroadcaster(io: RealtimeServer): Broadcaster {
  return {
    log: (log: LogDto) => io.to(executionRoom(log.executionId)).emit('execution:log', log),
    taskRun: (t: TaskRun) => io.to(executionRoom(t.executionId)).emit('execution:taskrun', t),
    state: (e: ExecutionDto) => io.to(executionRoom(e.id)).emit('execution:state', e),
    finished: (p: ExecutionFinishedPayload) => io.to(executionRoom(p.execution.id)).emit('execution:finished', p),
    notebookExecution: (notebookId: string, e: ExecutionDto) => io.to(notebookRoom(notebookId)).emit('notebook:execution', e),
  };
}

/**
 * Whether engine.io takes this request: exactly its own routing test (the raw request
 * target starts with the path and a slash, nothing normalised), so the server can tell
 * which requests are socket.io's the same way engine.io does.
 */
export function isSocketRequest(rawUrl: string | undefined): boolean {
  return (rawUrl ?? '').startsWith(`${SOCKET_PATH}/`);
}

/** Events a share link's socket may send: reading only, each checked against its grant. */
function viewerMaySend(event: string, payload: unknown, grant: ViewerGrant): boolean {
  const p = (payload ?? {}) as { executionId?: unknown; notebookId?: unknown };
  switch (event) {
    case 'execution:subscribe':
      return typeof p.executionId === 'string' && grant.executions.has(p.executionId);
    case 'execution:unsubscribe':
      return true;
    case 'notebook:subscribe':
    case 'notebook:unsubscribe':
      return p.notebookId === grant.notebookId;
    default:
      return false;
  }
}

/** The last focus per notebook, so a viewer who joins late lands on the teacher's cell. Bounded. */
const MAX_FOCI = 1000;

export function attachRealtime(httpServer: http.Server, opts: { db: Db; persister: EventPersister; security: SecurityConfig; viewers?: ViewerTokens }): RealtimeServer {
  const io: RealtimeServer = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    // Other upgrades (Next's dev reload socket) belong to Next: engine.io must not close them.
    destroyUpgrade: false,
    // Same-origin only; the guard below checks Origin against this server's hosts.
    cors: { origin: false },
  });
  // engine.io runs its middlewares on every HTTP request it takes, before it looks at the
  // session id or the handshake: a refused request is answered by the guard and stops.
  io.engine.use((req: http.IncomingMessage, res: http.ServerResponse, next: (err?: Error) => void) => {
    if (guardSocketRequest(req, res, opts.security)) next();
    else next(new Error('refused by the access guard'));
  });
  const authorised = new WeakSet<Socket>();
  const viewerSockets = new WeakSet<Socket>();
  const foci = new Map<string, NotebookFocus>();
  io.use((socket, next) => {
    if (!stillAuthorised(socket.request, opts.security)) {
      next(new Error('an access token is required'));
      return;
    }
    authorised.add(socket);
    const grant = viewerGrantOf(socket.request, opts.security);
    if (grant) {
      viewerSockets.add(socket);
      // A revoked link drops its sockets (see onRevoke); an expired one at its expiry.
      void socket.join(`share:${grant.shareId}`);
      const timer = setTimeout(() => socket.disconnect(true), Math.max(0, grant.expiresAt - Date.now()));
      timer.unref();
      socket.once('disconnect', () => clearTimeout(timer));
    }
    next();
  });
  opts.viewers?.onRevoke((shareId) => io.in(`share:${shareId}`).disconnectSockets(true));
  const broadcaster = socketBroadcaster(io);
  const followers = new ExecutionFollowers(io, opts.db, opts.persister);
  opts.persister.setBroadcaster({
    ...broadcaster,
    log: (log) => {
      broadcaster.log(log);
      followers.sent(log);
    },
    finished: (p) => {
      broadcaster.finished(p);
      followers.finished(p.execution.id);
    },
    notebookExecution: (notebookId, e) => {
      // Before the event goes out: a viewer told of a run may subscribe to it at once.
      opts.viewers?.noteExecution(notebookId, e.id);
      broadcaster.notebookExecution(notebookId, e);
    },
  });

  io.on('connection', (socket: Socket<ClientToServerEvents, ServerToClientEvents>) => {
    // Every event is checked, not only the connection: a socket that was never let in, or
    // whose credentials no longer pass, gets nothing and is dropped.
    socket.use(([event, payload], next) => {
      if (!authorised.has(socket) || !stillAuthorised(socket.request, opts.security)) {
        next(new Error('an access token is required'));
        socket.disconnect(true);
        return;
      }
      if (viewerSockets.has(socket)) {
        // Read again per event: the grant's runs grow, and a revoked link fails above.
        const grant = viewerGrantOf(socket.request, opts.security);
        if (!grant || !viewerMaySend(event, payload, grant)) {
          const executionId = typeof (payload as { executionId?: unknown } | undefined)?.executionId === 'string' ? (payload as { executionId: string }).executionId : undefined;
          socket.emit('subscribe:error', { error: `a share link cannot send ${event}: it only follows the notebook`, executionId });
          return;
        }
      }
      next();
    });
    socket.on('error', () => socket.disconnect(true));
    socket.emit('server:hello', { wireVersion: WIRE_VERSION });
    socket.on('execution:subscribe', (payload) => {
      const executionId = typeof payload?.executionId === 'string' ? payload.executionId : '';
      const afterSeq = Number.isInteger(payload?.afterSeq) && (payload.afterSeq as number) >= 0 ? (payload.afterSeq as number) : 0;
      followers.follow(socket, executionId, afterSeq);
    });
    socket.on('execution:unsubscribe', (payload) => {
      if (typeof payload?.executionId === 'string') followers.unfollow(socket, payload.executionId);
    });
    socket.on('notebook:subscribe', (payload) => {
      if (typeof payload?.notebookId !== 'string') return;
      void socket.join(notebookRoom(payload.notebookId));
      const focus = foci.get(payload.notebookId);
      if (focus) socket.emit('notebook:focus', focus);
    });
    socket.on('notebook:focus', (payload) => {
      if (typeof payload?.notebookId !== 'string') return;
      const focus: NotebookFocus = {
        notebookId: payload.notebookId,
        taskId: typeof payload.taskId === 'string' ? payload.taskId.slice(0, 500) : undefined,
        presenting: payload.presenting === true,
      };
      foci.delete(focus.notebookId);
      foci.set(focus.notebookId, focus);
      if (foci.size > MAX_FOCI) foci.delete(foci.keys().next().value as string);
      socket.to(notebookRoom(focus.notebookId)).emit('notebook:focus', focus);
    });
    socket.on('notebook:unsubscribe', (payload) => {
      if (typeof payload?.notebookId === 'string') void socket.leave(notebookRoom(payload.notebookId));
    });
  });
  return io;
}
