/**
 * Java's `glob:` path matcher (sun.nio.fs.Globs.toUnixRegexPattern), which Kestra's namespace
 * tasks match namespace file paths with (`/scripts/main.py`): `*` and `?` stay within a
 * folder, `**` crosses folders (so `**input.txt` matches `/a/b/input.txt`), `{a,b}` is one of,
 * `[...]` a character class. Written out rather than mapped onto a shell-glob library, whose
 * `**` only counts as a whole path segment.
 */
const REGEX_META = new Set(['.', '^', '$', '+', '(', ')', '|', '\\', '{', '}', '[', ']', '*', '?']);

export function javaGlobToRegExp(glob: string): RegExp {
  let out = '^';
  let inGroup = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      const next = glob[++i];
      if (next === undefined) throw new Error(`glob "${glob}": a \\ at the end escapes nothing`);
      out += REGEX_META.has(next) ? `\\${next}` : next;
    } else if (c === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      if (inGroup) throw new Error(`glob "${glob}": groups { } cannot nest`);
      out += '(?:';
      inGroup = true;
    } else if (c === '}' && inGroup) {
      out += ')';
      inGroup = false;
    } else if (c === ',' && inGroup) out += '|';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) throw new Error(`glob "${glob}": a [ is not closed`);
      let body = glob.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += REGEX_META.has(c) ? `\\${c}` : c;
  }
  if (inGroup) throw new Error(`glob "${glob}": a { is not closed`);
  return new RegExp(`${out}$`);
}

/** Kestra's `checkLeadingSlash`: a pattern or path is read from the namespace's root. */
export function withLeadingSlash(value: string): string {
  return value.startsWith('/') ? value : `/${value}`;
}
