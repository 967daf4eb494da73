import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n';
import { useProject } from './ProjectContext';
import { ThemeSwitch } from './ThemeSwitch';

const CHOICES: { lang: Language; key: 'lang.en' | 'lang.zh' }[] = [
  { lang: 'en', key: 'lang.en' },
  { lang: 'zh-CN', key: 'lang.zh' },
];

export function Header({ onHelp }: { onHelp: () => void }) {
  const { t, i18n } = useTranslation();
  const { project } = useProject();
  return (
    <header className="flex h-14 shrink-0 items-center gap-4 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex items-baseline gap-3">
        <span className="text-lg font-semibold tracking-tight text-indigo-700 dark:text-indigo-300">{t('app.name')}</span>
        <span className="hidden text-xs text-slate-500 sm:inline dark:text-slate-400">{t('app.tagline')}</span>
      </div>
      <div className="min-w-0 flex-1 text-center">
        <span data-testid="header-project" className="truncate text-sm text-slate-700 dark:text-slate-300" title={project?.path}>
          {project ? t('app.openProject', { name: project.name }) : t('app.noProject')}
        </span>
      </div>
      <div role="group" aria-label={t('lang.label')} className="flex rounded-md ring-1 ring-slate-300 dark:ring-slate-700">
        {CHOICES.map((c) => {
          const active = i18n.language === c.lang;
          return (
            <button
              key={c.lang}
              type="button"
              lang={c.lang}
              aria-pressed={active}
              onClick={() => setLanguage(c.lang)}
              className={`px-2.5 py-1 text-xs font-medium first:rounded-l-md last:rounded-r-md ${
                active ? 'bg-indigo-600 text-white' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
              }`}
            >
              {t(c.key)}
            </button>
          );
        })}
      </div>
      <ThemeSwitch />
      <button
        type="button"
        onClick={onHelp}
        aria-label={t('help.button')}
        title={t('help.button')}
        className="flex h-7 w-7 items-center justify-center rounded-full text-sm font-semibold text-slate-600 ring-1 ring-slate-300 hover:bg-slate-100 dark:text-slate-300 dark:ring-slate-700 dark:hover:bg-slate-800"
      >
        ?
      </button>
    </header>
  );
}
