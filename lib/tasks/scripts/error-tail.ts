/**
 * What a failed script says about itself: the last lines it wrote to stderr (a Python
 * exception, a shell error) for the task's error, and script file positions mapped back to
 * the lines of the cell's script, so a traceback's `line 4` is line 4 in the editor.
 */

/** A script file written into the working dir: its name, and the lines put before the user's script. */
export interface WrittenScript {
  fileName: string;
  /** Lines Flowbook adds before the script (Python's `true = True` prelude). */
  headerLines: number;
}

const MAX_TAIL_LINES = 20;
const MAX_LINE = 400;
/** Longer lines are not searched for script positions (see mapScriptLines). */
const MAX_MAPPED_LINE = 4096;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rewrites references to the written script files in one output line:
 * `File "/tmp/wd/_flowbook_t.py", line 7` → `File "script", line 4` (Python), and
 * `/tmp/wd/_flowbook_t.js:7:3` → `script:7:3` (Node). Lines inside the header stay as they are.
 */
export function mapScriptLines(line: string, scripts: readonly WrittenScript[]): string {
  // The path patterns below rescan the rest of the line from every position: on a long line
  // (a task may print a megabyte without a space) that takes minutes. Positions are printed on
  // short lines that name the file; no other line is looked at.
  if (line.length > MAX_MAPPED_LINE) return line;
  let out = line;
  for (const s of scripts) {
    if (!out.includes(s.fileName)) continue;
    const name = escapeRegExp(s.fileName);
    const shift = (n: string) => {
      const mapped = Number(n) - s.headerLines;
      return mapped >= 1 ? String(mapped) : undefined;
    };
    out = out.replace(new RegExp(`File "(?:[^"]*/)?${name}", line (\\d+)`, 'g'), (whole, n: string) => {
      const mapped = shift(n);
      return mapped ? `File "script", line ${mapped}` : whole;
    });
    out = out.replace(new RegExp(`(?:file://)?(?:[^\\s():]*/)?${name}:(\\d+)`, 'g'), (whole, n: string) => {
      const mapped = shift(n);
      return mapped ? `script:${mapped}` : whole;
    });
  }
  return out;
}

/** Keeps the last lines a script wrote to stderr (frames of the `::{json}::` protocol excluded). */
export class StderrTail {
  private readonly lines: string[] = [];

  push(line: string): void {
    this.lines.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);
    // A traceback can be long; keep enough to find its start, drop the rest.
    if (this.lines.length > MAX_TAIL_LINES * 5) this.lines.splice(0, this.lines.length - MAX_TAIL_LINES * 5);
  }

  /**
   * The lines worth showing with the error: a Python traceback from its first line when
   * there is one, else the last lines; empty when the script wrote nothing to stderr.
   */
  summary(): string[] {
    const start = this.lines.lastIndexOf('Traceback (most recent call last):');
    const lines = start >= 0 ? this.lines.slice(start) : [...this.lines];
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    const shown = lines.length > MAX_TAIL_LINES ? lines.slice(-MAX_TAIL_LINES) : lines;
    while (shown.length > 0 && shown[0].trim() === '') shown.shift();
    return shown;
  }
}

/** The task's error for a non-zero exit: the exit code, then what the script said on stderr. */
export function exitCodeMessage(exitCode: number, tail: readonly string[]): string {
  const head = `Command failed with exit code ${exitCode}`;
  return tail.length === 0 ? head : `${head}:\n${tail.join('\n')}`;
}
