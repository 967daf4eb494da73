import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PreviewResult } from '../../../electron/core/docs/preview';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useProject } from '../../app/ProjectContext';
import { Button, Card, ErrorNote, inputClass } from '../../app/ui';
import { Badge } from './parts';

const TYPES = ['calculation', 'multi_step', 'case_analysis', 'compare_contrast', 'what_if'] as const;
type QType = (typeof TYPES)[number];

interface JobView {
  jobId: number;
  status: string;
  done: number;
  failed: number;
  total: number | null;
}

/** Preview five questions from three chunks (with the run's estimate), then run the durable synthesis job and follow it. */
export function SynthPanel({ onChanged, onShowPool }: { onChanged: () => void; onShowPool: () => void }) {
  const { t } = useTranslation();
  const { project } = useProject();
  const teachers = useApiQuery(() => api.teacher.list.query(), [project?.path]);
  const [teacher, setTeacher] = useState('');
  const [perChunk, setPerChunk] = useState(3);
  const [types, setTypes] = useState<QType[]>([...TYPES]);
  const [language, setLanguage] = useState<'auto' | 'en' | 'zh'>('auto');
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  const [job, setJob] = useState<JobView | null>(null);
  const [outcome, setOutcome] = useState<{ accepted: number; duplicate: number; rejected: number; decontam: { checked: number; flagged: number } | null } | null>(null);
  const chosen = teacher || teachers.data?.[0]?.name || '';
  const input = { teacher: chosen, perChunk, types, language };
  const pv = useApiMutation(async () => setPreview(await api.docs.preview.mutate(input)));
  const start = useApiMutation(async () => {
    setOutcome(null);
    const r = await api.docs.synthesize.mutate(input);
    setJob({ jobId: r.jobId, status: 'running', done: 0, failed: 0, total: r.chunks });
  });

  // Follows the job until it ends, then says what it added and runs the pool's decontamination (when sets exist).
  useEffect(() => {
    if (!job || ['done', 'failed', 'cancelled', 'paused'].includes(job.status)) return;
    const timer = setTimeout(() => {
      void api.jobs.get.query({ id: job.jobId }).then(async (p) => {
        setJob({ jobId: p.jobId, status: p.status, done: p.done, failed: p.failed, total: p.total });
        if (p.status === 'done') {
          const o = await api.docs.outcomes.query({ jobId: p.jobId, limit: 1 });
          const d = await api.docs.decontaminate.mutate();
          setOutcome({ ...o.counts, decontam: d && { checked: d.checked, flagged: d.flagged } });
          onChanged();
        }
      });
    }, 700);
    return () => clearTimeout(timer);
  }, [job, onChanged]);

  if (teachers.data && teachers.data.length === 0) {
    return (
      <Card title={t('questions.sources.synthTitle')}>
        <p className="text-sm text-slate-600 dark:text-slate-300">{t('questions.sources.noTeacher')}</p>
      </Card>
    );
  }
  const running = job !== null && !['done', 'failed', 'cancelled', 'paused'].includes(job.status);
  return (
    <Card title={t('questions.sources.synthTitle')}>
      <div className="flex flex-wrap items-end gap-4 text-sm">
        <label>
          <span className="mb-1 block text-slate-600 dark:text-slate-400">{t('questions.sources.teacher')}</span>
          <select className={inputClass} value={chosen} onChange={(e) => setTeacher(e.target.value)} data-testid="synth-teacher">
            {(teachers.data ?? []).map((x) => (
              <option key={x.name} value={x.name}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="mb-1 block text-slate-600 dark:text-slate-400">{t('questions.sources.perChunk')}</span>
          <input type="number" min={1} max={20} className={`${inputClass} w-24`} value={perChunk} onChange={(e) => setPerChunk(Math.min(20, Math.max(1, Number(e.target.value) || 1)))} />
        </label>
        <label>
          <span className="mb-1 block text-slate-600 dark:text-slate-400">{t('questions.sources.language')}</span>
          <select className={inputClass} value={language} onChange={(e) => setLanguage(e.target.value as 'auto' | 'en' | 'zh')}>
            {(['auto', 'en', 'zh'] as const).map((l) => (
              <option key={l} value={l}>
                {t(`questions.sources.lang.${l}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="mt-3 flex flex-wrap gap-3 text-sm">
        <legend className="mb-1 text-slate-600 dark:text-slate-400">{t('questions.sources.types')}</legend>
        {TYPES.map((k) => (
          <label key={k} className="flex items-center gap-1">
            <input type="checkbox" checked={types.includes(k)} onChange={(e) => setTypes(e.target.checked ? [...types, k] : types.filter((x) => x !== k))} />
            {t(`questions.sources.type.${k}`)}
          </label>
        ))}
      </fieldset>
      <div className="mt-4 flex flex-wrap gap-2">
        <Button disabled={!chosen || !types.length || pv.pending || running} onClick={() => void pv.run()}>
          {pv.pending ? t('questions.sources.previewing') : t('questions.sources.preview')}
        </Button>
        <Button variant="primary" disabled={!chosen || !types.length || running || start.pending} onClick={() => void start.run()}>
          {t('questions.sources.run')}
        </Button>
      </div>
      <ErrorNote error={pv.error ?? start.error} />
      {preview && (
        <div className="mt-4 space-y-2" data-testid="synth-preview">
          <p className="text-sm font-medium">
            {t('questions.sources.estimate', { requests: preview.estimate.requests, seconds: preview.estimate.seconds, prompt: preview.estimate.promptTokens, completion: preview.estimate.completionTokens })}
            {preview.estimate.price !== null ? ` · ${t('questions.sources.price', { price: preview.estimate.price })}` : ''}
          </p>
          <ul className="space-y-2">
            {preview.items.map((it, i) => (
              <li key={i} className="rounded-md p-2 text-sm ring-1 ring-slate-200 dark:ring-slate-700">
                <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
                  <Badge tone={it.status === 'accepted' ? 'emerald' : it.status === 'rejected' ? 'rose' : 'slate'}>{t(`questions.sources.verdict.${it.status}`)}</Badge>
                  <span>{[it.document, ...it.headingPath].join(' › ')}</span>
                </div>
                {it.question && <p className="mt-1 whitespace-pre-wrap">{it.question}</p>}
                {it.answer && <p className="mt-1 text-xs">{`${t('questions.sources.answer')}: ${it.answer}`}</p>}
                {it.quote && <p className="mt-1 text-xs text-slate-600 italic dark:text-slate-300">{`${t('questions.sources.quote')}: ${it.quote}`}</p>}
                {it.reason && <p className="mt-1 text-xs text-rose-700 dark:text-rose-300">{`${t('questions.sources.why')}: ${it.reason}`}</p>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {job && running && <p className="mt-4 text-sm" data-testid="synth-progress">{t('questions.sources.running', { done: job.done + job.failed, total: job.total ?? 0 })}</p>}
      {job && outcome && (
        <div className="mt-4 space-y-1 text-sm" data-testid="synth-done">
          <p>{t('questions.sources.done', { ...outcome, failed: job.failed })}</p>
          {outcome.decontam && <p>{t('questions.sources.decontam', outcome.decontam)}</p>}
          <Button onClick={onShowPool}>{t('questions.sources.showPool')}</Button>
        </div>
      )}
    </Card>
  );
}
