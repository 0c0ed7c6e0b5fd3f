/** "Did you mean …?": the known name closest to a misspelt one. */

/** Edit distance with adjacent transpositions (`mesage` → `message` is 1, `mesasge` → `message` is 1). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate a misspelt name most likely meant, or undefined when none is close. Close
 * means a small edit distance, ignoring case (about one edit per three letters), or one name
 * ending or starting with the other (`errorMessage` for `message`), as people add a prefix
 * they know from another tool.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const lower = candidate.toLowerCase();
    const limit = Math.max(1, Math.floor(Math.max(wanted.length, lower.length) / 3));
    const distance = editDistance(wanted, lower);
    let score = distance <= limit ? distance : Infinity;
    const shorter = Math.min(wanted.length, lower.length);
    if (score === Infinity && shorter >= 4 && (wanted.endsWith(lower) || lower.endsWith(wanted) || wanted.startsWith(lower) || lower.startsWith(wanted))) {
      // Ranked after every real misspelling.
      score = limit + 1 + Math.abs(wanted.length - lower.length);
    }
    if (score < (best?.score ?? Infinity)) best = { candidate, score };
  }
  return best?.candidate;
}

/** `; did you mean \`x\`?` to end a message with, or nothing. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = closestName(name, candidates);
  return match === undefined ? '' : `; did you mean \`${match}\`?`;
}
