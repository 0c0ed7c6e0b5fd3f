/**
 * Syntax colours for the cell editors that follow the app's light/dark theme. CodeMirror's
 * default style writes fixed dark colours (purple keywords, dark red strings) that are hard to
 * read on the dark theme's background; this is the same style with each colour read from a
 * CSS variable, set per theme in app/globals.css (--cm-*).
 */
import { HighlightStyle, defaultHighlightStyle } from '@codemirror/language';

/** The default style's colours, by the variable that replaces each. */
const VARIABLE_OF: Record<string, string> = {
  '#404740': '--cm-meta',
  '#708': '--cm-keyword',
  '#219': '--cm-atom',
  '#164': '--cm-literal',
  '#a11': '--cm-string',
  '#e40': '--cm-regexp',
  '#00f': '--cm-definition',
  '#30a': '--cm-local',
  '#085': '--cm-type',
  '#167': '--cm-class',
  '#256': '--cm-special',
  '#00c': '--cm-property',
  '#940': '--cm-comment',
  '#f00': '--cm-invalid',
};

export const themedHighlightStyle = HighlightStyle.define(
  defaultHighlightStyle.specs.map((spec) => {
    const variable = typeof spec.color === 'string' ? VARIABLE_OF[spec.color] : undefined;
    return variable ? { ...spec, color: `var(${variable}, ${spec.color})` } : spec;
  }),
);
