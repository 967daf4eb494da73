import { useTranslation } from 'react-i18next';
import { Markdown } from '../../app/markdown';
import { muted } from './format';

/** Long unbroken output (a 20,000-character token) wraps anywhere instead of widening its panel. */
export const wrapAnywhere = '[overflow-wrap:anywhere]!';

/**
 * Trace text (thinking or answer) rendered with the shared Markdown renderer, never as HTML. Text that holds
 * only whitespace (a random or broken model) says so instead of leaving an empty box; text without spaces
 * wraps anywhere (the box around it scrolls down, never sideways).
 */
export function TraceText({ text, empty, testId }: { text: string; empty: string; testId?: string }) {
  const { t } = useTranslation();
  if (text === '') return <p className={muted} data-testid={testId}>{empty}</p>;
  if (text.trim() === '') return <p className={muted} data-testid={testId}>{t('evaluate.drill.whitespace', { n: text.length })}</p>;
  return <Markdown text={text} testId={testId} className={wrapAnywhere} />;
}
