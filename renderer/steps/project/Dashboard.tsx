import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useProject, type OpenProject } from '../../app/ProjectContext';
import { Button, Card, ErrorNote } from '../../app/ui';
import { DoctorPanel } from './DoctorPanel';
import { EnvCheck } from './EnvCheck';
import { JobsPanel } from './JobsPanel';

const STAGES = ['questions', 'excluded', 'traces', 'selected', 'accepted'] as const;

export function Dashboard({ project }: { project: OpenProject }) {
  const { t, i18n } = useTranslation();
  const { setProject } = useProject();
  const info = useApiQuery(() => api.project.info.query(), [project.path]);
  const close = useApiMutation(() => api.project.close.mutate());
  const fmt = (n: number) => n.toLocaleString(i18n.language);
  const domains = Object.entries(info.data?.domains ?? {});
  const max = Math.max(1, ...domains.map(([, n]) => n));

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight" data-testid="project-name">
            {project.name}
          </h1>
          <p className="mt-1 truncate font-mono text-xs text-slate-500 dark:text-slate-400" title={project.path}>
            <span className="sr-only">{t('dashboard.path')}: </span>
            {project.path}
          </p>
        </div>
        <div className="flex gap-2">
          <Button variant="ghost" onClick={() => void info.refetch()}>
            {t('common.refresh')}
          </Button>
          <Button
            onClick={() =>
              void close.run().then((r) => {
                if (r === null) setProject(null);
              })
            }
          >
            {t('dashboard.close')}
          </Button>
        </div>
      </div>
      <ErrorNote error={info.error ?? close.error} />

      <section aria-labelledby="stages-title">
        <h2 id="stages-title" className="mb-3 text-sm font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
          {t('dashboard.stages')}
        </h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
          {STAGES.map((s) => (
            <div key={s} data-testid={`count-${s}`} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
              <dt className="text-sm font-medium text-slate-600 dark:text-slate-300">{t(`dashboard.${s}`)}</dt>
              <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`count-${s}-value`}>
                {info.data ? fmt(info.data[s]) : '–'}
              </dd>
              <dd className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{t(`dashboard.${s}Hint`)}</dd>
            </div>
          ))}
        </dl>
      </section>

      <Card
        title={t('dashboard.domains')}
        labelId="domains-title"
        actions={info.data && <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="domain-count">{t('dashboard.domainCount', { count: domains.length })}</span>}
      >
        {info.data && domains.length === 0 && <p className="text-sm text-slate-500 dark:text-slate-400">{t('dashboard.noDomains')}</p>}
        <ul className="space-y-1.5" data-testid="domain-bars">
          {domains.map(([d, n]) => (
            <li key={d} className="grid grid-cols-[10rem_1fr_3.5rem] items-center gap-3 text-sm">
              <span className="truncate text-slate-700 dark:text-slate-300">{d === 'unlabelled' ? t('dashboard.unlabelled') : d}</span>
              <span className="h-2.5 rounded-full bg-slate-100 dark:bg-slate-800" aria-hidden="true">
                <span className="block h-full rounded-full bg-indigo-500" style={{ width: `${(n / max) * 100}%` }} />
              </span>
              <span className="text-right tabular-nums text-slate-600 dark:text-slate-400">{fmt(n)}</span>
            </li>
          ))}
        </ul>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <EnvCheck />
        <JobsPanel />
      </div>
      <DoctorPanel />
    </div>
  );
}
