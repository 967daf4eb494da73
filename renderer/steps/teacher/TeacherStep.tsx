import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { useProject } from '../../app/ProjectContext';
import { Button, Card, ErrorNote } from '../../app/ui';
import { Discover } from './Discover';
import { LocalTeacher } from './LocalTeacher';
import { TeacherForm } from './TeacherForm';
import { TeacherList } from './TeacherList';
import type { PublicTeacher, TeacherSave } from './types';

/** The Teacher step: the project's teachers, the add/edit form, discovery of local servers and a local teacher from a model folder. */
export function TeacherStep({ onGoProject }: { onGoProject: () => void }) {
  const { t } = useTranslation();
  const { project } = useProject();
  return (
    <div className="mx-auto max-w-5xl space-y-5">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t('steps.teacher.title')}</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-400">{t('teacher.lead')}</p>
      </div>
      {project ? (
        <Workspace projectPath={project.path} />
      ) : (
        <Card>
          <p className="text-sm text-slate-700 dark:text-slate-300">{t('teacher.noProject')}</p>
          <Button variant="primary" className="mt-4" onClick={onGoProject}>
            {t('teacher.goProject')}
          </Button>
        </Card>
      )}
    </div>
  );
}

function Workspace({ projectPath }: { projectPath: string }) {
  const teachers = useApiQuery(() => api.teacher.list.query(), [projectPath]);
  const presets = useApiQuery(() => api.teacher.presets.query(), []);
  const [editing, setEditing] = useState<PublicTeacher | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [draft, setDraft] = useState<Partial<TeacherSave> | null>(null);

  const edit = (tch: PublicTeacher | null, d: Partial<TeacherSave> | null = null) => {
    setEditing(tch);
    setDraft(d);
    setFormKey((k) => k + 1);
  };

  return (
    <>
      <ErrorNote error={teachers.error} />
      <TeacherList teachers={teachers.data} onEdit={(x) => edit(x)} onChanged={() => void teachers.refetch()} />
      <TeacherForm
        key={formKey}
        presets={presets.data ?? []}
        editing={editing}
        draft={draft}
        onSaved={() => {
          edit(null);
          void teachers.refetch();
        }}
        onCancel={() => edit(null)}
      />
      <div className="grid items-start gap-5 lg:grid-cols-2">
        <Discover onSaved={() => void teachers.refetch()} />
        <LocalTeacher onSaved={() => void teachers.refetch()} />
      </div>
    </>
  );
}
