'use client';
/**
 * CodeMirror for one cell. The document is owned by the editor while the user types;
 * text from the server replaces it only when there are no unsaved local edits, so a
 * failed save never throws away what was typed.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from '@codemirror/view';
import { EditorState, Prec, type Extension } from '@codemirror/state';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, StreamLanguage, bracketMatching, indentOnInput } from '@codemirror/language';
import { sql } from '@codemirror/lang-sql';
import { python } from '@codemirror/lang-python';
import { yaml } from '@codemirror/lang-yaml';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { javascript } from '@codemirror/legacy-modes/mode/javascript';
import type { CellEditorDto } from '@/lib/contract';
import { themedHighlightStyle } from './code-colours';

function languageFor(lang: CellEditorDto['language']): Extension {
  switch (lang) {
    case 'sql':
      return sql();
    case 'python':
      return python();
    case 'shell':
      return StreamLanguage.define(shell);
    case 'javascript':
      return StreamLanguage.define(javascript);
    case 'yaml':
      return yaml();
    case 'text':
      return [];
  }
}

export interface CellEditorHandle {
  focus(): void;
  getText(): string;
  /** Replaces the text as saved on the server (after a successful save). */
  setSaved(text: string): void;
}

export interface CellEditorProps {
  code: string;
  language: CellEditorDto['language'];
  label: string;
  readOnly?: boolean;
  onChange: (text: string) => void;
  onBlur: () => void;
  onSave: () => void;
  onRun: (advance: boolean) => void;
  onEscape: () => void;
}

export const CellEditor = forwardRef<CellEditorHandle, CellEditorProps>(function CellEditor(props, ref) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The callbacks change every render; the editor is built once and reads them from here.
  const cb = useRef(props);
  cb.current = props;

  useEffect(() => {
    if (!host.current) return;
    const keys = Prec.highest(
      keymap.of([
        { key: 'Shift-Enter', run: () => (cb.current.onRun(true), true) },
        { key: 'Mod-Enter', run: () => (cb.current.onRun(false), true) },
        { key: 'Mod-s', preventDefault: true, run: () => (cb.current.onSave(), true) },
        { key: 'Escape', run: () => (cb.current.onEscape(), true) },
      ]),
    );
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: props.code,
        extensions: [
          keys,
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          indentOnInput(),
          bracketMatching(),
          syntaxHighlighting(themedHighlightStyle, { fallback: true }),
          languageFor(props.language),
          keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap]),
          EditorView.lineWrapping,
          EditorState.readOnly.of(props.readOnly ?? false),
          EditorView.contentAttributes.of({ 'aria-label': props.label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) cb.current.onChange(u.state.doc.toString());
            if (u.focusChanged && !u.view.hasFocus) cb.current.onBlur();
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // Built once per language; later text arrives through setSaved.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.language, props.readOnly]);

  useImperativeHandle(ref, () => ({
    focus: () => view.current?.focus(),
    getText: () => view.current?.state.doc.toString() ?? '',
    setSaved: (text: string) => {
      const v = view.current;
      if (!v || v.state.doc.toString() === text) return;
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
    },
  }));

  return <div ref={host} className="border-theme border-y" data-testid="cell-editor" />;
});
