import { useTranslation } from 'react-i18next';
import { Button, Card } from './ui';
import { useProject } from './ProjectContext';
import type { StepId } from './steps';

type Planned = Exclude<StepId, 'project'>;

/**
 * A step whose engine is not built yet: it says what it will do and what it needs, from the i18n files,
 * and shows no data at all. Each step folder replaces its use of this component when its feature lands.
 */
export function PlannedStep({ step, onGoProject }: { step: Planned; onGoProject: () => void }) {
  const { t } = useTranslation();
  const { project } = useProject();
  const does = t(`planned.${step}.does`, { returnObjects: true }) as unknown as string[];
  const needs = t(`planned.${step}.needs`, { returnObjects: true }) as unknown as string[];
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t(`steps.${step}.title`)}</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-400">{t(`planned.${step}.lead`)}</p>
      </div>
      <Card title={t('planned.does')} labelId={`${step}-does`}>
        <ul className="list-disc space-y-1.5 pl-5 text-sm text-slate-700 dark:text-slate-300">
          {does.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      </Card>
      <Card title={t('planned.needs')} labelId={`${step}-needs`}>
        <ul className="space-y-1.5 text-sm text-slate-700 dark:text-slate-300" data-testid="step-needs">
          {needs.map((n) => (
            <li key={n} className="flex gap-2">
              <span aria-hidden="true" className="text-indigo-500">
                •
              </span>
              {n}
            </li>
          ))}
        </ul>
        {!project && (
          <Button variant="primary" className="mt-4" onClick={onGoProject}>
            {t('planned.goProject')}
          </Button>
        )}
      </Card>
    </div>
  );
}
