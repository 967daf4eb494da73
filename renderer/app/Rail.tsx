import type { KeyboardEvent } from 'react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { STEP_IDS, type StepId } from './steps';

/** The wizard rail. Arrow keys move between steps while it has focus; Alt+↑/↓ work everywhere (see App). */
export function Rail({ active, onSelect, hasProject }: { active: StepId; onSelect: (s: StepId) => void; hasProject: boolean }) {
  const { t } = useTranslation();
  const refs = useRef<(HTMLAnchorElement | null)[]>([]);

  const go = (i: number) => {
    const id = STEP_IDS[(i + STEP_IDS.length) % STEP_IDS.length];
    if (!id) return;
    onSelect(id);
    refs.current[STEP_IDS.indexOf(id)]?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLAnchorElement>, i: number) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const moves: Record<string, number> = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: STEP_IDS.length - 1 };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    go(target);
  };

  return (
    <nav aria-label={t('rail.label')} className="w-60 shrink-0 overflow-y-auto border-r border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      <ol className="space-y-1">
        {STEP_IDS.map((id, i) => {
          const current = id === active;
          return (
            <li key={id}>
              <a
                ref={(el) => {
                  refs.current[i] = el;
                }}
                href={`#/${id}`}
                data-step={id}
                aria-current={current ? 'step' : undefined}
                tabIndex={current ? 0 : -1}
                onClick={(e) => {
                  e.preventDefault();
                  onSelect(id);
                }}
                onKeyDown={(e) => onKeyDown(e, i)}
                className={`group flex items-start gap-3 rounded-lg px-3 py-2 text-sm ${
                  current ? 'bg-indigo-50 text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100' : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
                }`}
              >
                <span
                  aria-hidden="true"
                  className={`mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center rounded-full text-[11px] font-semibold ${
                    current ? 'bg-indigo-600 text-white' : 'bg-slate-200 text-slate-600 dark:bg-slate-700 dark:text-slate-300'
                  }`}
                >
                  {i + 1}
                </span>
                <span className="min-w-0">
                  <span className="block font-medium">{t(`steps.${id}.title`)}</span>
                  <span className="block text-xs text-slate-500 dark:text-slate-400">
                    {id !== 'project' && !hasProject ? t('rail.needsProject') : t(`steps.${id}.short`)}
                  </span>
                </span>
              </a>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
