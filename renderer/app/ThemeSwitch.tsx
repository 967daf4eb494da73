import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setThemeChoice, themeChoice, type ThemeChoice } from './theme';

const CHOICES: { id: ThemeChoice; icon: string }[] = [
  { id: 'system', icon: '◐' },
  { id: 'light', icon: '☀' },
  { id: 'dark', icon: '☾' },
];

/** Light, dark or as the system says; beside the language switch. */
export function ThemeSwitch() {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<ThemeChoice>(themeChoice);
  return (
    <div role="group" aria-label={t('theme.label')} className="flex rounded-md ring-1 ring-slate-300 dark:ring-slate-700">
      {CHOICES.map((c) => {
        const active = choice === c.id;
        return (
          <button
            key={c.id}
            type="button"
            aria-pressed={active}
            aria-label={t(`theme.${c.id}`)}
            title={t(`theme.${c.id}`)}
            data-theme-choice={c.id}
            onClick={() => {
              setThemeChoice(c.id);
              setChoice(c.id);
            }}
            className={`px-2 py-1 text-xs first:rounded-l-md last:rounded-r-md ${active ? 'bg-indigo-600 text-white' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'}`}
          >
            <span aria-hidden="true">{c.icon}</span>
          </button>
        );
      })}
    </div>
  );
}
