import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

const ROWS: { keys: string[]; label: string }[] = [
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
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    return () => previous?.focus();
  }, []);
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-4" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
        className="max-h-[90vh] w-full max-w-lg overflow-y-auto rounded-xl bg-white p-6 shadow-xl dark:bg-slate-900 dark:ring-1 dark:ring-slate-700"
      >
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
        <dl className="space-y-2 text-sm">
          {ROWS.map((r) => (
            <div key={r.label} className="flex items-center justify-between gap-4">
              <dt className="flex gap-1">
                {r.keys.map((k) => (
                  <kbd key={k} className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs dark:border-slate-600 dark:bg-slate-800">
                    {k}
                  </kbd>
                ))}
              </dt>
              <dd className="text-right text-slate-600 dark:text-slate-300">{t(r.label)}</dd>
            </div>
          ))}
        </dl>
        <div className="mt-6 text-right">
          <button ref={closeRef} type="button" onClick={onClose} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">
            {t('help.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
