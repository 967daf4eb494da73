import { useTranslation } from 'react-i18next';
import { Markdown } from '../../app/markdown';
import { muted } from './format';

/**
 * Trace text (thinking or answer) rendered with the shared Markdown renderer, never as HTML. Text that holds
 * only whitespace (a random or broken model) says so instead of leaving an empty box.
 */
export function TraceText({ text, empty, testId }: { text: string; empty: string; testId?: string }) {
  const { t } = useTranslation();
  if (text === '') return <p className={muted} data-testid={testId}>{empty}</p>;
  if (text.trim() === '') return <p className={muted} data-testid={testId}>{t('evaluate.drill.whitespace', { n: text.length })}</p>;
  return <Markdown text={text} testId={testId} />;
}
