import type * as Monaco from 'monaco-editor';
import { useEffect, useRef } from 'react';
import { baseOptions, TRACE_LANGUAGE } from './options';
import { currentTheme } from './language';
import type { MonacoApi } from './load';

/**
 * Monaco's diff editor, side by side, both sides read-only unless `onModified` is given (then the right
 * side is editable and reported on each change). New texts replace the models.
 */
export function DiffView(props: {
  monaco: MonacoApi;
  original: string;
  modified: string;
  label: string;
  testId: string;
  onModified?: (text: string) => void;
  className?: string;
}) {
  const { monaco, original, modified, label, testId, className = '' } = props;
  const host = useRef<HTMLDivElement>(null);
  const diff = useRef<Monaco.editor.IStandaloneDiffEditor | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const editable = Boolean(props.onModified);

  useEffect(() => {
    if (!host.current) return;
    monaco.editor.setTheme(currentTheme());
    const d = monaco.editor.createDiffEditor(host.current, {
      ...baseOptions(),
      ariaLabel: label,
      readOnly: !editable,
      originalEditable: false,
      renderSideBySide: true,
      useInlineViewWhenSpaceIsLimited: false,
      diffWordWrap: 'on',
      renderOverviewRuler: false,
      ignoreTrimWhitespace: false,
      maxComputationTime: 2000,
      // Long traces: unchanged stretches collapse (expandable), so every change is on screen at once.
      hideUnchangedRegions: { enabled: true, contextLineCount: 3, minimumLineCount: 5, revealLineCount: 20 },
    });
    diff.current = d;
    const sub = d.getModifiedEditor().onDidChangeModelContent((e) => {
      if (!e.isFlush) latest.current.onModified?.(d.getModifiedEditor().getValue());
    });
    return () => {
      sub.dispose();
      const m = d.getModel();
      d.dispose();
      m?.original.dispose();
      m?.modified.dispose();
      diff.current = null;
    };
  }, [monaco, label, editable]);

  useEffect(() => {
    const d = diff.current;
    if (!d) return;
    const old = d.getModel();
    if (old && old.original.getValue() === original && old.modified.getValue() === modified) return;
    d.setModel({ original: monaco.editor.createModel(original, TRACE_LANGUAGE), modified: monaco.editor.createModel(modified, TRACE_LANGUAGE) });
    old?.original.dispose();
    old?.modified.dispose();
  }, [monaco, original, modified, label, editable]);

  return <div ref={host} data-testid={testId} className={`min-h-0 overflow-hidden ${className}`} />;
}
