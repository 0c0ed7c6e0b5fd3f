/**
 * Turns a byte stream into lines as they are printed: keeps a partial line until its end
 * arrives, accepts LF, CRLF and lone CR (progress bars), and never splits a UTF-8 character.
 */
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  /** A CR ended the last chunk: if the next chunk starts with LF, it belongs to the same break. */
  private skipLeadingLf = false;

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer): void {
    this.consume(this.decoder.write(chunk));
  }

  /** Flushes the last line if the stream did not end with a newline. */
  end(): void {
    this.consume(this.decoder.end());
    if (this.pending.length > 0) this.emit(this.pending);
    this.pending = '';
  }

  private consume(text: string): void {
    let start = 0;
    if (this.skipLeadingLf && text.startsWith('\n')) start = 1;
    if (text.length > 0) this.skipLeadingLf = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.emit(this.pending + text.slice(start, i));
      this.pending = '';
      if (c === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      start = i + 1;
    }
    this.pending += text.slice(start);
  }
}
