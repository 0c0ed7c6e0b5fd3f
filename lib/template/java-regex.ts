/**
 * Java regular expressions on JavaScript's engine, for `replace(..., regexp=true)`
 * (`String.replaceAll`). The syntax flows use (classes, groups, quantifiers, anchors,
 * lookarounds, named groups) is shared; what differs is translated: leading inline flags
 * `(?i)`/`(?s)`/`(?m)`, the anchors `\A`, `\z`, `\Z`, and the replacement string, where Java
 * reads `$1`/`${name}` as groups and a backslash escapes the next character.
 */

export class JavaRegexError extends Error {}

export function javaRegExp(pattern: string): RegExp {
  let source = pattern;
  let flags = 'g';
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    if (inline[1].includes('x')) throw new JavaRegexError(`the inline flag (?x) in '${pattern}' is not supported`);
    flags += [...new Set(inline[1])].join('');
    source = source.slice(inline[0].length);
  }
  source = source.replace(/\\\\|\\A|\\z|\\Z/g, (m) => (m === '\\A' ? '^' : m === '\\z' ? '$(?![\\s\\S])' : m === '\\Z' ? '(?=\\n?$(?![\\s\\S]))' : m));
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new JavaRegexError(`invalid regular expression '${pattern}': ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Java `Matcher.appendReplacement` rules for the replacement text. */
export function javaReplacement(replacement: string): (match: string, ...rest: unknown[]) => string {
  return (...args: unknown[]) => {
    const match = args[0] as string;
    const last = args[args.length - 1];
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
    const groupCount = args.length - (named ? 4 : 3);
    const group = (i: number): string => (i === 0 ? match : ((args[i] as string | undefined) ?? ''));
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i];
      if (c === '\\') {
        i++;
        if (i >= replacement.length) throw new JavaRegexError('character to be escaped is missing');
        out += replacement[i];
      } else if (c === '$') {
        i++;
        if (i >= replacement.length) throw new JavaRegexError("Illegal group reference: group index is missing");
        if (replacement[i] === '{') {
          const close = replacement.indexOf('}', i);
          const name = close < 0 ? '' : replacement.slice(i + 1, close);
          if (!named || !/^[a-zA-Z][a-zA-Z0-9]*$/.test(name) || !(name in named)) {
            throw new JavaRegexError(`No group with name {${name}}`);
          }
          out += named[name] ?? '';
          i = close;
        } else {
          if (!/[0-9]/.test(replacement[i])) throw new JavaRegexError('Illegal group reference');
          // Java takes further digits while the number still names an existing group.
          let ref = Number(replacement[i]);
          if (ref > groupCount) throw new JavaRegexError(`No group ${ref}`);
          while (i + 1 < replacement.length && /[0-9]/.test(replacement[i + 1]) && ref * 10 + Number(replacement[i + 1]) <= groupCount) {
            ref = ref * 10 + Number(replacement[++i]);
          }
          out += group(ref);
        }
      } else {
        out += c;
      }
    }
    return out;
  };
}
