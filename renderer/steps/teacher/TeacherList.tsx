import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { toApiError, type ApiError } from '../../api/hooks';
import { Button, Card, ErrorNote } from '../../app/ui';
import { LocalBadge } from './LocalBadge';
import { Prompting } from './Prompting';
import { TestResult } from './TestResult';
import { muted, pill, type PublicTeacher, type TestReport } from './types';

/** The project's teachers, each with Test, Edit and Remove. */
export function TeacherList({ teachers, onEdit, onChanged }: { teachers: PublicTeacher[] | undefined; onEdit: (t: PublicTeacher) => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const [reports, setReports] = useState<Record<string, TestReport[]>>({});
  const [testing, setTesting] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<Record<string, boolean>>({});
  /** Bumped when the test switches a mode on, so an open prompt panel reloads what is stored. */
  const [version, setVersion] = useState(0);

  const test = async (name: string) => {
    setTesting(name);
    setError(null);
    try {
      const r = await api.teacher.test.mutate({ name });
      setReports((prev) => ({ ...prev, [name]: r }));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setTesting(null);
    }
  };
  // The test's "no thinking" offer: switch the reasoning mode on, then test again to show its effect.
  const switchReasoning = async (name: string, mode: 'prompt' | 'split') => {
    setError(null);
    try {
      await api.teacher.setPrompting.mutate({ name, reasoningMode: mode });
      setVersion((v) => v + 1);
      await test(name);
    } catch (e) {
      setError(toApiError(e));
    }
  };
  // A local teacher came back up: a failure from before (its old port, a missing folder) no longer holds.
  const cleared = (name: string) => {
    setError(null);
    setReports((prev) => (prev[name]?.some((r) => !r.ok) ? { ...prev, [name]: [] } : prev));
  };
  const remove = async (name: string) => {
    if (!window.confirm(t('teacher.list.confirmRemove', { name }))) return;
    try {
      await api.teacher.remove.mutate({ name });
      onChanged();
    } catch (e) {
      setError(toApiError(e));
    }
  };

  return (
    <Card title={t('teacher.list.title')} labelId="teachers-title">
      <ErrorNote error={error} />
      {teachers?.length === 0 && <p className={`${muted} text-sm`}>{t('teacher.list.empty')}</p>}
      <ul className="space-y-3" data-testid="teacher-list">
        {teachers?.map((tch) => (
          <li key={tch.id} data-testid="teacher-item" data-name={tch.name} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0">
                <p className="font-medium">{tch.name}</p>
                <p className="truncate font-mono text-xs text-slate-600 dark:text-slate-400" title={tch.model}>
                  {tch.model}
                </p>
                {tch.localDir && <LocalBadge dir={tch.localDir} busy={testing === tch.name} onBack={() => cleared(tch.name)} />}
                <p className={`${muted} mt-1 flex flex-wrap gap-x-3`}>
                  {/* A local teacher's port changes at every start: its folder (above) is what it keeps. */}
                  {!tch.localDir && (
                    <span className="truncate" title={tch.baseUrls.join('\n')}>
                      {tch.baseUrls[0]}
                      {tch.baseUrls.length > 1 && ` (${t('teacher.list.endpoints', { count: tch.baseUrls.length })})`}
                    </span>
                  )}
                  <span>{tch.key === 'none' ? t('teacher.list.keyNone') : tch.key === 'stored' ? t('teacher.list.keyStored') : t('teacher.list.keyEnv', { name: tch.key.env })}</span>
                  {tch.preset && <span className={`${pill} bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200`}>{tch.preset}</span>}
                </p>
              </div>
              <div className="flex gap-2">
                <Button variant="primary" disabled={testing !== null} onClick={() => void test(tch.name)}>
                  {testing === tch.name ? t('teacher.list.testing') : t('teacher.list.test')}
                </Button>
                <Button aria-expanded={Boolean(open[tch.name])} onClick={() => setOpen((o) => ({ ...o, [tch.name]: !o[tch.name] }))}>
                  {open[tch.name] ? t('teacherPrompt.close') : t('teacherPrompt.open')}
                </Button>
                <Button onClick={() => onEdit(tch)}>{t('teacher.list.edit')}</Button>
                <Button variant="danger" onClick={() => void remove(tch.name)}>
                  {t('teacher.list.remove')}
                </Button>
              </div>
            </div>
            {open[tch.name] && <Prompting key={`${tch.name}:${version}`} name={tch.name} />}
            {reports[tch.name]?.map((r) => (
              <TestResult key={r.endpoint} report={r} busy={testing !== null} onReasoning={(mode) => void switchReasoning(tch.name, mode)} />
            ))}
          </li>
        ))}
      </ul>
    </Card>
  );
}
