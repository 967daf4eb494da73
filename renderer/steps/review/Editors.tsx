import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveTokens } from './useTokens';
import { TraceEditor, type CodeEditor, type EditorCommand } from './monaco/TraceEditor';
import type { MonacoApi } from './monaco/load';
import { muted, type Texts } from './types';

function Count({ label, n, tokens, testId }: { label: string; n: number | undefined; tokens: LiveTokens | null; testId: string }) {
  const { t, i18n } = useTranslation();
  if (n === undefined || !tokens) return null;
  return (
    <span
      className={`${muted} tabular-nums`}
      data-testid={testId}
      data-tokens={n}
      data-stale={tokens.stale}
      title={t(tokens.source === 'student' ? 'review.tokens.studentTitle' : 'review.tokens.estimateTitle')}
      aria-label={`${label}: ${t(tokens.source === 'student' ? 'review.tokens.student' : 'review.tokens.estimate', { n: n.toLocaleString(i18n.language) })}`}
    >
      {t(tokens.source === 'student' ? 'review.tokens.student' : 'review.tokens.estimate', { n: n.toLocaleString(i18n.language) })}
      {tokens.stale ? ' …' : ''}
    </span>
  );
}

type Field = 'thinking' | 'answer';

/** One field's heading, token count and editor. */
/** What the pair of editors takes; each pane also gets its field and layout classes. */
interface EditorsProps {
  monaco: MonacoApi;
  doc: string;
  texts: Texts;
  tokens: LiveTokens | null;
  commands: EditorCommand[];
  onEdit: (field: Field) => void;
  onEditor: (field: Field, ed: CodeEditor | null) => void;
}

function Pane({ field, monaco, doc, texts, tokens, commands, onEdit, onEditor, className, editorClassName }: EditorsProps & {
  field: Field;
  className: string;
  editorClassName: string;
}) {
  const { t } = useTranslation();
  return (
    <div className={`flex min-h-0 ${className} flex-col`}>
      <div className="mb-1 flex items-center justify-between">
        <h3 className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">{t(`review.editor.${field}`)}</h3>
        <Count label={t(`review.editor.${field}`)} n={tokens?.[field]} tokens={tokens} testId={`${field}-tokens`} />
      </div>
      <TraceEditor
        monaco={monaco}
        docKey={doc}
        text={texts[field]}
        label={t(`review.editor.${field}Label`)}
        testId={`${field}-editor`}
        commands={commands}
        onEdit={() => onEdit(field)}
        onReady={(ed) => onEditor(field, ed)}
        className={`${editorClassName} rounded-md ring-1 ring-slate-200 dark:ring-slate-700`}
      />
    </div>
  );
}

/**
 * The thinking and answer in two Monaco editors (the custom trace language), with live token counts.
 * `texts` are shown when `doc` changes (another sample, a text replaced from outside); the props stay the
 * same while the reviewer types and saves, so the editors' pane re-renders only for new token counts.
 */
export const Editors = memo(function Editors(props: EditorsProps) {
  const { commands } = props;
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2">
      <Pane {...props} field="thinking" commands={commands} className="flex-[3]" editorClassName="flex-1" />
      <Pane {...props} field="answer" commands={commands.filter((c) => !c.menu)} className="flex-1" editorClassName="min-h-20 flex-1" />
    </div>
  );
});
