import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';
import { HelpClose, ShortcutList, type ShortcutRow } from './Shortcuts';

const ROWS: ShortcutRow[] = [
  { keys: ['Alt', '↓'], label: 'help.next' },
  { keys: ['Alt', '↑'], label: 'help.previous' },
  { keys: ['↓', '↑'], label: 'help.railKeys' },
  { keys: ['Home', 'End'], label: 'help.firstLast' },
  { keys: ['?'], label: 'help.open' },
  { keys: ['Esc'], label: 'help.dismiss' },
  { keys: ['Ctrl', 'Enter'], label: 'evaluate.keys.start' },
  { keys: ['j', 'k'], label: 'evaluate.keys.move' },
  { keys: ['o'], label: 'evaluate.keys.open' },
  { keys: ['e'], label: 'evaluate.keys.export' },
  { keys: ['Esc'], label: 'evaluate.keys.stop' },
];

/** `?`: what the words on this step mean, then the keyboard shortcuts. */
export function HelpOverlay({ onClose, step }: { onClose: () => void; step: string }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  const concepts = t(`concepts.${step}`, { returnObjects: true, defaultValue: [] }) as unknown;
  const terms = Array.isArray(concepts) ? (concepts as [string, string][]) : [];
  return (
    <Dialog labelledBy="help-title" onClose={onClose} initialFocus={closeRef} className="max-h-[90vh] max-w-lg overflow-y-auto">
      {terms.length > 0 && (
        <section className="mb-6" data-testid="help-concepts">
          <h2 className="mb-3 text-lg font-semibold">{t('concepts.title')}</h2>
          <dl className="space-y-2 text-sm">
            {terms.map(([term, text]) => (
              <div key={term}>
                <dt className="font-medium">{term}</dt>
                <dd className="text-slate-600 dark:text-slate-300">{text}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      <h2 id="help-title" className="mb-4 text-lg font-semibold">
        {t('help.title')}
      </h2>
      <ShortcutList rows={ROWS} className="space-y-2" />
      <HelpClose label={t('help.close')} onClose={onClose} buttonRef={closeRef} />
    </Dialog>
  );
}
