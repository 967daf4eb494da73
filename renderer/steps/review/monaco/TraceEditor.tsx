import type * as Monaco from 'monaco-editor';
import { useEffect, useRef } from 'react';
import { onThemeChange } from '../../../app/theme';
import { currentTheme } from './language';
import type { MonacoApi } from './load';
import { baseOptions, TRACE_LANGUAGE, TRACE_MODEL_OPTIONS } from './options';

export type CodeEditor = Monaco.editor.IStandaloneCodeEditor;

/** A command bound inside the editor (Alt+key), so the review shortcuts work while typing. */
export interface EditorCommand {
  id: string;
  label: string;
  /** A letter: bound as Alt+letter. */
  key: string;
  run: () => void;
  /** Also offered in the editor's context menu. */
  menu?: boolean;
}

/** A model of the trace language (with TRACE_MODEL_OPTIONS). */
export function traceModel(monaco: MonacoApi, text: string): Monaco.editor.ITextModel {
  const m = monaco.editor.createModel(text, TRACE_LANGUAGE);
  m.updateOptions(TRACE_MODEL_OPTIONS);
  return m;
}

/**
 * One Monaco editor that lives as long as the component: a new `docKey` swaps in a fresh model holding
 * `text` (the next sample, or a text replaced from outside), so moving between samples costs one model,
 * not one editor. `onEdit` fires on the user's edits only.
 */
export function TraceEditor(props: {
  monaco: MonacoApi;
  docKey: string;
  text: string;
  label: string;
  testId: string;
  readOnly?: boolean;
  onEdit?: () => void;
  onReady?: (editor: CodeEditor | null) => void;
  commands?: EditorCommand[];
  className?: string;
}) {
  const { monaco, docKey, label, testId, readOnly = false, className = '' } = props;
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<CodeEditor | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    if (!host.current) return;
    monaco.editor.setTheme(currentTheme());
    const ed = monaco.editor.create(host.current, { ...baseOptions(), ariaLabel: label, readOnly, model: null });
    editor.current = ed;
    const sub = ed.onDidChangeModelContent((e) => {
      if (!e.isFlush) latest.current.onEdit?.();
    });
    const actions = (latest.current.commands ?? []).map((c) =>
      ed.addAction({
        id: `review.${c.id}`,
        label: c.label,
        keybindings: [monaco.KeyMod.Alt | monaco.KeyCode[`Key${c.key.toUpperCase()}` as keyof typeof monaco.KeyCode]],
        run: () => latest.current.commands?.find((x) => x.id === c.id)?.run(),
        ...(c.menu ? { contextMenuGroupId: 'navigation', contextMenuOrder: 0 } : {}),
      }),
    );
    latest.current.onReady?.(ed);
    const offTheme = onThemeChange(() => monaco.editor.setTheme(currentTheme()));
    return () => {
      offTheme();
      latest.current.onReady?.(null);
      sub.dispose();
      for (const a of actions) a.dispose();
      const m = ed.getModel();
      ed.dispose();
      m?.dispose();
      editor.current = null;
    };
    // Created once per Monaco instance; label, commands and callbacks are read through `latest`.
  }, [monaco]);

  useEffect(() => {
    const ed = editor.current;
    if (!ed) return;
    const old = ed.getModel();
    ed.setModel(traceModel(monaco, latest.current.text));
    ed.setScrollTop(0);
    old?.dispose();
  }, [monaco, docKey]);

  useEffect(() => {
    editor.current?.updateOptions({ readOnly, ariaLabel: label });
  }, [readOnly, label]);

  return <div ref={host} data-testid={testId} data-doc={docKey} className={`min-h-0 overflow-hidden ${className}`} />;
}
