import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useProject } from './ProjectContext';
import type { StepId } from './steps';
import { Button, Card } from './ui';

type Props = {
  step: Exclude<StepId, 'project'>;
  /** The page's width and spacing classes. */
  className: string;
  /** The lead's size class ('' for the body size). */
  leadClassName?: string;
  /** The i18n key of the "open a project first" sentence; `<step>.noProject` by default. */
  noProjectKey?: string;
  onGoProject: () => void;
  /** The step's workspace for the open project (a fresh one per project). */
  children: (projectPath: string) => ReactNode;
};

/** A step's page: its title and lead, then its workspace, or, with no project open, the way to the Project step. */
export function StepShell({ step, className, leadClassName = '', noProjectKey, onGoProject, children }: Props) {
  const { t } = useTranslation();
  const { project } = useProject();
  return (
    <div className={`mx-auto ${className}`}>
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t(`steps.${step}.title`)}</h1>
        <p className={`mt-1 ${leadClassName} text-slate-600 dark:text-slate-400`}>{t(`${step}.lead`)}</p>
      </div>
      {project ? (
        <Fragment key={project.path}>{children(project.path)}</Fragment>
      ) : (
        <Card>
          <p className="text-sm text-slate-700 dark:text-slate-300">{t(noProjectKey ?? `${step}.noProject`)}</p>
          <Button variant="primary" className="mt-4" onClick={onGoProject}>
            {t(`${step}.goProject`)}
          </Button>
        </Card>
      )}
    </div>
  );
}
