import { useTranslation } from 'react-i18next';
import { useProject } from '../../app/ProjectContext';
import { Button, Card } from '../../app/ui';
import { Workspace } from './Workspace';

/** The Review step: read, fix and decide on each trace of the frozen selection (or the pool) in Monaco. */
export function ReviewStep({ onGoProject }: { onGoProject: () => void }) {
  const { t } = useTranslation();
  const { project } = useProject();
  return (
    <div className="mx-auto max-w-[110rem] space-y-3">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t('steps.review.title')}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t('review.lead')}</p>
      </div>
      {project ? (
        <Workspace key={project.path} projectPath={project.path} />
      ) : (
        <Card>
          <p className="text-sm text-slate-700 dark:text-slate-300">{t('review.noProject')}</p>
          <Button variant="primary" className="mt-4" onClick={onGoProject}>
            {t('review.goProject')}
          </Button>
        </Card>
      )}
    </div>
  );
}
