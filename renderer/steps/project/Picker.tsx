import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useProject, type OpenProject } from '../../app/ProjectContext';
import { Button, Card, Field, inputClass } from '../../app/ui';
import { FolderInput } from './FolderInput';
import { OpenErrorNote } from './OpenErrorNote';
import { RecentList } from './RecentList';

function joinPath(home: string, ...parts: string[]): string {
  const sep = home.includes('\\') && !home.includes('/') ? '\\' : '/';
  return [home.replace(/[\\/]+$/, ''), ...parts].join(sep);
}

export function Picker() {
  const { t } = useTranslation();
  const { setProject } = useProject();
  const info = useApiQuery(() => api.app.info.query(), []);
  const home = useApiQuery(() => api.fs.list.query({}), []);
  const native = Boolean(info.data?.nativeFolderPicker);

  const [createDir, setCreateDir] = useState('');
  const [createName, setCreateName] = useState('');
  const [openDir, setOpenDir] = useState('');
  const [sampleDir, setSampleDir] = useState('');

  useEffect(() => {
    if (home.data && !sampleDir) setSampleDir(joinPath(home.data.path, 'Distillery', 'sample'));
  }, [home.data, sampleDir]);

  const adopt = (p: OpenProject | undefined) => {
    if (p) setProject(p);
  };
  const create = useApiMutation((dir: string, name?: string) => api.project.create.mutate({ dir, name }));
  const open = useApiMutation((dir: string) => api.project.open.mutate({ dir }));
  const sample = useApiMutation((dir: string) => api.project.sample.mutate({ dir }));

  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    adopt(await create.run(createDir, createName.trim() || undefined));
  };
  const onOpen = async (e: FormEvent) => {
    e.preventDefault();
    adopt(await open.run(openDir));
  };
  const onSample = async (e: FormEvent) => {
    e.preventDefault();
    adopt(await sample.run(sampleDir));
  };

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t('picker.title')}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{t('picker.intro')}</p>
      </div>

      <Card title={t('picker.sample.title')} labelId="sample-title" className="border-indigo-200 bg-indigo-50/60 dark:border-indigo-900 dark:bg-indigo-950/40">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">{t('picker.sample.help')}</p>
        <form onSubmit={(e) => void onSample(e)} className="space-y-3">
          <Field label={t('picker.sample.folder')} htmlFor="sample-dir">
            <FolderInput id="sample-dir" value={sampleDir} onChange={setSampleDir} nativePicker={native} />
          </Field>
          <Button type="submit" variant="primary" disabled={sample.pending || !sampleDir.trim()}>
            {sample.pending ? t('common.working') : t('picker.sample.submit')}
          </Button>
        </form>
        <OpenErrorNote error={sample.error}>
          {sample.error?.code === 'project_exists' && (
            <Button className="mt-2" onClick={() => void open.run(sampleDir).then(adopt)}>
              {t('picker.sample.openInstead')}
            </Button>
          )}
        </OpenErrorNote>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t('picker.create.title')} labelId="create-title">
          <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">{t('picker.create.help')}</p>
          <form onSubmit={(e) => void onCreate(e)} className="space-y-3">
            <Field label={t('picker.create.folder')} htmlFor="create-dir">
              <FolderInput id="create-dir" value={createDir} onChange={setCreateDir} nativePicker={native} placeholder={t('picker.create.folderPlaceholder')} />
            </Field>
            <Field label={t('picker.create.name')} htmlFor="create-name">
              <input id="create-name" value={createName} onChange={(e) => setCreateName(e.target.value)} placeholder={t('picker.create.namePlaceholder')} className={inputClass} />
            </Field>
            <Button type="submit" variant="primary" disabled={create.pending || !createDir.trim()}>
              {create.pending ? t('common.working') : t('picker.create.submit')}
            </Button>
          </form>
          <OpenErrorNote error={create.error} />
        </Card>

        <Card title={t('picker.open.title')} labelId="open-title">
          <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">{t('picker.open.help')}</p>
          <form onSubmit={(e) => void onOpen(e)} className="space-y-3">
            <Field label={t('picker.open.folder')} htmlFor="open-dir">
              <FolderInput id="open-dir" value={openDir} onChange={setOpenDir} nativePicker={native} />
            </Field>
            <Button type="submit" variant="primary" disabled={open.pending || !openDir.trim()}>
              {open.pending ? t('common.working') : t('picker.open.submit')}
            </Button>
          </form>
          <OpenErrorNote error={open.error} />
        </Card>
      </div>

      <RecentList onOpen={(dir) => void open.run(dir).then(adopt)} />
    </div>
  );
}
