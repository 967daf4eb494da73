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

/**
 * The thinking and answer in two Monaco editors (the custom trace language), with live token counts.
 * `texts` are shown when `doc` changes (another sample, a text replaced from outside); the props stay the
 * same while the reviewer types and saves, so the editors' pane re-renders only for new token counts.
 */
export const Editors = memo(function Editors(props: {
  monaco: MonacoApi;
  doc: string;
  texts: Texts;
  tokens: LiveTokens | null;
  commands: EditorCommand[];
  onEdit: (field: 'thinking' | 'answer') => void;
  onEditor: (field: 'thinking' | 'answer', ed: CodeEditor | null) => void;
}) {
  const { t } = useTranslation();
  const { monaco, doc, texts, tokens, commands } = props;
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2">
      <div className="flex min-h-0 flex-[3] flex-col">
        <div className="mb-1 flex items-center justify-between">
          <h3 className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">{t('review.editor.thinking')}</h3>
          <Count label={t('review.editor.thinking')} n={tokens?.thinking} tokens={tokens} testId="thinking-tokens" />
        </div>
        <TraceEditor
          monaco={monaco}
          docKey={doc}
          text={texts.thinking}
          label={t('review.editor.thinkingLabel')}
          testId="thinking-editor"
          commands={commands}
          onEdit={() => props.onEdit('thinking')}
          onReady={(ed) => props.onEditor('thinking', ed)}
          className="flex-1 rounded-md ring-1 ring-slate-200 dark:ring-slate-700"
        />
      </div>
      <div className="flex min-h-0 flex-1 flex-col">
        <div className="mb-1 flex items-center justify-between">
          <h3 className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">{t('review.editor.answer')}</h3>
          <Count label={t('review.editor.answer')} n={tokens?.answer} tokens={tokens} testId="answer-tokens" />
        </div>
        <TraceEditor
          monaco={monaco}
          docKey={doc}
          text={texts.answer}
          label={t('review.editor.answerLabel')}
          testId="answer-editor"
          commands={commands.filter((c) => !c.menu)}
          onEdit={() => props.onEdit('answer')}
          onReady={(ed) => props.onEditor('answer', ed)}
          className="min-h-20 flex-1 rounded-md ring-1 ring-slate-200 dark:ring-slate-700"
        />
      </div>
    </div>
  );
});
