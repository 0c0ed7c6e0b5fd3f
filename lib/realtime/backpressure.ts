/**
 * How much a socket's client has not taken yet. A run's lines go to every follower as one
 * broadcast (encoded once, the same frame written to each socket), but a follower that reads
 * slower than the run prints makes the server hold its unsent frames: without a limit, one
 * stalled browser tab would keep a whole log in the server's memory, and a class of them a
 * copy each. The realtime server takes a socket out of the live stream when this passes
 * HIGH_WATER_BYTES and feeds it from the store, a page at a time, whenever it is under
 * LOW_WATER_BYTES again (see follow.ts).
 */
import type { Socket } from 'socket.io';

/** Unsent bytes above which a socket leaves the live stream. */
export const HIGH_WATER_BYTES = 512 * 1024;
/** Unsent bytes under which a catching-up socket gets its next page. */
export const LOW_WATER_BYTES = 128 * 1024;

interface EnginePacket {
  data?: unknown;
}
/** The parts of engine.io's connection read here; engine.io does not type them as public. */
interface EngineConnection {
  writeBuffer?: EnginePacket[];
  transport?: { socket?: { bufferedAmount?: unknown } };
}

function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/**
 * Bytes queued for this socket and not yet taken by its client: packets engine.io holds
 * while its transport is busy (all of a long-poll's, between two polls) plus what the
 * websocket has handed to the network stream and the kernel has not taken.
 */
export function pendingBytes(socket: Pick<Socket, 'conn'>): number {
  const conn = socket.conn as unknown as EngineConnection;
  let bytes = 0;
  for (const packet of conn.writeBuffer ?? []) bytes += sizeOf(packet.data);
  const buffered = conn.transport?.socket?.bufferedAmount;
  if (typeof buffered === 'number') bytes += buffered;
  return bytes;
}
