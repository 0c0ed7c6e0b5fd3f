/**
 * A line diff of what a server has against what would be sent, cut into hunks with a few lines
 * of context, as `git diff` shows it. Longest common subsequence on lines: flows are small.
 */

export interface DiffLine {
  kind: 'same' | 'add' | 'del';
  text: string;
  /** 1-based line in the server's text (same, del). */
  oldLine?: number;
  /** 1-based line in the text to send (same, add). */
  newLine?: number;
}

export interface DiffHunk {
  oldStart: number;
  newStart: number;
  lines: DiffLine[];
}

/** Past this many lines on either side, the diff is "everything replaced" rather than quadratic work. */
const MAX_LINES = 5000;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // Common head and tail first: most edits touch a few lines in the middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ kind: 'same', text: a[i], oldLine: i + 1, newLine: i + 1 });
  if (midA.length > MAX_LINES || midB.length > MAX_LINES) {
    midA.forEach((text, i) => out.push({ kind: 'del', text, oldLine: head + i + 1 }));
    midB.forEach((text, j) => out.push({ kind: 'add', text, newLine: head + j + 1 }));
  } else {
    const n = midA.length;
    const m = midB.length;
    // lcs[i][j]: common lines of midA[i..] and midB[j..], in one flat array.
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] = midA[i] === midB[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        out.push({ kind: 'same', text: midA[i], oldLine: head + i + 1, newLine: head + j + 1 });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) {
        // Removals before additions, as git shows a changed line.
        out.push({ kind: 'del', text: midA[i], oldLine: head + i + 1 });
        i++;
      } else {
        out.push({ kind: 'add', text: midB[j], newLine: head + j + 1 });
        j++;
      }
    }
  }
  for (let k = 0; k < tail; k++) {
    const oldLine = a.length - tail + k;
    const newLine = b.length - tail + k;
    out.push({ kind: 'same', text: a[oldLine], oldLine: oldLine + 1, newLine: newLine + 1 });
  }
  return out;
}

/** The changed lines with `context` unchanged lines around each; empty when nothing changed. */
export function diffHunks(before: string, after: string, context = 3): DiffHunk[] {
  const lines = diffLines(before, after);
  const changed = lines.flatMap((l, k) => (l.kind === 'same' ? [] : [k]));
  const hunks: DiffHunk[] = [];
  let k = 0;
  while (k < changed.length) {
    // Changes closer than twice the context share one hunk, as in `git diff`.
    let last = k;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] <= 2 * context + 1) last++;
    const from = Math.max(0, changed[k] - context);
    const to = Math.min(lines.length - 1, changed[last] + context);
    const slice = lines.slice(from, to + 1);
    // Where the hunk starts on each side: its first line that has a number there, else the line after the one before.
    const oldStart = slice.find((l) => l.oldLine !== undefined)?.oldLine ?? (lines.slice(0, from).reverse().find((l) => l.oldLine !== undefined)?.oldLine ?? 0) + 1;
    const newStart = slice.find((l) => l.newLine !== undefined)?.newLine ?? (lines.slice(0, from).reverse().find((l) => l.newLine !== undefined)?.newLine ?? 0) + 1;
    hunks.push({ oldStart, newStart, lines: slice });
    k = last + 1;
  }
  return hunks;
}
