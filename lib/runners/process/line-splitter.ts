/**
 * Turns a byte stream into lines as they are printed: keeps a partial line until its end
 * arrives, accepts LF, CRLF and lone CR (progress bars), and never splits a UTF-8 character.
 *
 * It works on bytes and never holds more than `maxLineBytes` of a line: the rest of a longer
 * line is counted while it streams past and the line arrives cut, with a marker saying how
 * much was dropped. A task printing 600 MB without a newline costs the server 1 MiB, not 600 MB
 * (and not a string longer than V8 allows).
 */
const LF = 0x0a;
const CR = 0x0d;

/** Handed a complete line: its text (cut when too long) and how many bytes of it were kept. */
export type LineSink = (line: string, keptBytes: number) => void;

export function lineCutMarker(droppedBytes: number): string {
  return ` … [line cut: ${droppedBytes.toLocaleString('en-US')} more bytes]`;
}

export class LineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  /** Bytes of the current line beyond the limit: counted, not kept. */
  private dropped = 0;
  /** A CR ended the last chunk: if the next chunk starts with LF, it belongs to the same break. */
  private skipLeadingLf = false;

  constructor(
    private readonly emit: LineSink,
    private readonly maxLineBytes: number = 1024 ** 2,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    if (this.skipLeadingLf && chunk.length > 0) {
      this.skipLeadingLf = false;
      if (chunk[0] === LF) start = 1;
    }
    // Positions of the next LF and CR, found once each rather than rescanned per line.
    let nextLf = chunk.indexOf(LF, start);
    let nextCr = chunk.indexOf(CR, start);
    while (nextLf >= 0 || nextCr >= 0) {
      let at = nextLf < 0 ? nextCr : nextCr < 0 ? nextLf : Math.min(nextLf, nextCr);
      this.append(chunk, start, at);
      this.flush();
      if (chunk[at] === CR) {
        if (at + 1 < chunk.length) {
          if (chunk[at + 1] === LF) at++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      start = at + 1;
      if (nextLf >= 0 && nextLf < start) nextLf = chunk.indexOf(LF, start);
      if (nextCr >= 0 && nextCr < start) nextCr = chunk.indexOf(CR, start);
    }
    this.append(chunk, start, chunk.length);
  }

  /** Flushes the last line if the stream did not end with a newline. */
  end(): void {
    if (this.kept > 0 || this.dropped > 0) this.flush();
  }

  private append(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    const room = this.maxLineBytes - this.kept;
    const take = Math.min(room, to - from);
    if (take > 0) {
      // A copy: a slice would keep the whole chunk it came from alive until the line ends.
      this.parts.push(Buffer.from(chunk.subarray(from, from + take)));
      this.kept += take;
    }
    this.dropped += to - from - Math.max(take, 0);
  }

  private flush(): void {
    let bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.kept);
    let dropped = this.dropped;
    if (dropped > 0) {
      // The cut may fall inside a character: end the kept part at the last whole one.
      const whole = wholeCharacters(bytes);
      dropped += bytes.length - whole;
      bytes = bytes.subarray(0, whole);
    }
    const text = bytes.toString('utf8');
    this.parts = [];
    this.kept = 0;
    this.dropped = 0;
    this.emit(dropped > 0 ? text + lineCutMarker(dropped) : text, bytes.length);
  }
}

/** How many leading bytes of `bytes` end on a character boundary (a trailing partial UTF-8 sequence left out). */
function wholeCharacters(bytes: Buffer): number {
  const n = bytes.length;
  for (let back = 1; back <= 4 && back <= n; back++) {
    const b = bytes[n - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: the lead is further back
    const length = b < 0x80 ? 1 : (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 1;
    return back >= length ? n : n - back;
  }
  return n;
}
