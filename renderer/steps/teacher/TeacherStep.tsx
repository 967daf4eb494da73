import { useState } from 'react';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { StepShell } from '../../app/StepShell';
import { ErrorNote } from '../../app/ui';
import { Discover } from './Discover';
import { LocalTeacher } from './LocalTeacher';
import { TeacherForm } from './TeacherForm';
import { TeacherList } from './TeacherList';
import type { PublicTeacher, TeacherSave } from './types';

/** The Teacher step: the project's teachers, the add/edit form, discovery of local servers and a local teacher from a model folder. */
export function TeacherStep({ onGoProject }: { onGoProject: () => void }) {
  return (
    <StepShell step="teacher" className="max-w-5xl space-y-5" onGoProject={onGoProject}>
      {(projectPath) => <Workspace projectPath={projectPath} />}
    </StepShell>
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
