import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { action, useApiMutation, useApiQuery } from '../../api/hooks';
import { useProject } from '../../app/ProjectContext';
import { Button, Card, ErrorNote, Field, inputClass } from '../../app/ui';
import { useJobs } from '../project/useJobs';
import { Badge, Select, td, th } from './parts';

const KINDS = ['paraphrase', 'numbers', 'harder', 'translate'] as const;
type Kind = (typeof KINDS)[number];

/** The Questions step's data-distillation tab: augmentation (variants with parents) and pseudo-labels. */
export function DistilPanel({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const { project } = useProject();
  const { jobs } = useJobs(project?.path ?? '');
  const teachers = useApiQuery(() => api.teacher.list.query(), [version]);
  const names = teachers.data?.map((x) => x.name) ?? [];
  const [teacher, setTeacher] = useState('');
  useEffect(() => {
    if (!teacher && names[0]) setTeacher(names[0]);
  }, [teacher, names]);

  // Augmentation
  const [ids, setIds] = useState('');
  const [kinds, setKinds] = useState<Set<Kind>>(new Set(['paraphrase']));
  const [formError, setFormError] = useState<string | null>(null);
  const start = useApiMutation((input: Parameters<typeof api.augment.start.mutate>[0]) => api.augment.start.mutate(input));
  const running = [...jobs.values()].find((j) => j.kind === 'augment' && (j.status === 'running' || j.status === 'queued'));
  const lastDone = [...jobs.values()].filter((j) => j.kind === 'augment' && j.status === 'done').length;
  const latest = useApiQuery(() => api.augment.latest.query(), [version, lastDone]);
  useEffect(() => {
    if (lastDone) onChanged();
  }, [lastDone, onChanged]);
  const submitAugment = async () => {
    const parts = ids.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = parts.find((s) => !/^[1-9]\d*$/.test(s));
    if (bad !== undefined) return setFormError(t('distil.augment.badIds', { value: bad }));
    if (!kinds.size) return setFormError(t('distil.augment.noKinds'));
    setFormError(null);
    await start.run({ teacher, questions: parts.length ? { mode: 'ids', ids: parts.map(Number) } : { mode: 'all' }, kinds: [...kinds] });
  };

  // Pseudo-labels
  const [samples, setSamples] = useState(8);
  const [minAgreement, setMinAgreement] = useState(0.6);
  const [judge, setJudge] = useState('');
  const [started, setStarted] = useState<{ kind: string; jobId: number } | null>(null);
  const label = useApiMutation(() => api.augment.pseudoLabel.mutate({ teacher, samples, minAgreement, judge: judge || undefined }));
  const labelDone = [...jobs.values()].filter((j) => j.kind === 'pseudo-label' && j.status === 'done').length;
  const summary = useApiQuery(() => api.augment.pseudoSummary.query(), [version, labelDone]);

  return (
    <div className="space-y-5">
      <Card title={t('distil.augment.title')} labelId="augment-title">
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">{t('distil.augment.help')}</p>
        {teachers.data && !names.length && <p className="text-sm text-amber-700 dark:text-amber-300">{t('distil.augment.noTeacher')}</p>}
        <div className="grid gap-3 md:grid-cols-3">
          <Field label={t('distil.augment.teacher')} htmlFor="distil-teacher">
            <Select id="distil-teacher" value={teacher} onChange={(e) => setTeacher(e.target.value)}>
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
          </Field>
          <div className="md:col-span-2">
            <Field label={t('distil.augment.ids')} htmlFor="augment-ids">
              <input id="augment-ids" className={inputClass} value={ids} placeholder={t('distil.augment.idsPlaceholder')} onChange={(e) => setIds(e.target.value)} />
            </Field>
          </div>
        </div>
        <fieldset className="mt-3">
          <legend className="text-xs font-medium text-slate-600 dark:text-slate-400">{t('distil.augment.kinds')}</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {KINDS.map((k) => (
              <label key={k} className="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  checked={kinds.has(k)}
                  onChange={(e) =>
                    setKinds((s) => {
                      const n = new Set(s);
                      if (e.target.checked) n.add(k);
                      else n.delete(k);
                      return n;
                    })
                  }
                />
                {t(`distil.augment.kind.${k}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="mt-4 flex flex-wrap items-center gap-3">
          <Button variant="primary" disabled={!teacher || start.pending || Boolean(running)} onClick={() => void submitAugment()}>
            {t('distil.augment.start')}
          </Button>
          {running && <span className="text-sm text-slate-600 dark:text-slate-400">{t('distil.augment.running', { job: running.jobId, done: running.done + running.failed, total: running.total ?? 0 })}</span>}
        </div>
        {formError && <p className="mt-2 text-sm text-rose-700 dark:text-rose-300">{formError}</p>}
        <ErrorNote error={start.error} />
        {latest.data && (
          <div className="mt-4">
            <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="augment-summary">
              {t('distil.augment.summary', latest.data)}
            </p>
            <div className="mt-2 max-h-72 overflow-y-auto">
              <table className="w-full">
                <thead>
                  <tr>
                    <th className={th}>{t('distil.augment.parent')}</th>
                    <th className={th}>{t('distil.augment.kinds')}</th>
                    <th className={th}>{t('distil.augment.status')}</th>
                    <th className={th}>{t('distil.augment.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {latest.data.outcomes.map((o) => (
                    <tr key={`${o.parent}:${o.kind}`}>
                      <td className={`${td} font-mono`}>#{o.parent}</td>
                      <td className={td}>{t(`distil.augment.kind.${o.kind}`)}</td>
                      <td className={td}>
                        <Badge tone={o.status === 'added' ? 'emerald' : o.status === 'refused' ? 'rose' : 'amber'}>{t(`distil.augment.outcome.${o.status}`)}</Badge>
                      </td>
                      <td className={`${td} text-xs`}>{o.status === 'added' ? `→ #${o.question}` : o.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </Card>

      <Card title={t('distil.pseudo.title')} labelId="pseudo-title">
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">{t('distil.pseudo.help')}</p>
        <div className="grid gap-3 md:grid-cols-3">
          <Field label={t('distil.pseudo.samples')} htmlFor="pseudo-samples">
            <input id="pseudo-samples" type="number" min={2} max={64} className={inputClass} value={samples} onChange={(e) => setSamples(Math.max(2, Math.min(64, Number(e.target.value) || 2)))} />
          </Field>
          <Field label={t('distil.pseudo.minAgreement')} htmlFor="pseudo-min">
            <input id="pseudo-min" type="number" min={0} max={1} step={0.05} className={inputClass} value={minAgreement} onChange={(e) => setMinAgreement(Math.max(0, Math.min(1, Number(e.target.value) || 0)))} />
          </Field>
          <Field label={t('distil.pseudo.judge')} htmlFor="pseudo-judge">
            <Select id="pseudo-judge" value={judge} onChange={(e) => setJudge(e.target.value)}>
              <option value="">{t('distil.pseudo.noJudge')}</option>
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <div className="mt-4 flex flex-wrap items-center gap-3">
          <Button
            variant="primary"
            disabled={!teacher || label.pending}
            onClick={action(async () => {
              const r = await label.run();
              if (r) setStarted(r);
            })}
          >
            {t('distil.pseudo.start')}
          </Button>
          {started && <span className="text-sm text-slate-600 dark:text-slate-400">{t('distil.pseudo.started', { job: started.jobId, kind: started.kind })}</span>}
        </div>
        <ErrorNote error={label.error} />
        {summary.data && (
          <div className="mt-4" data-testid="pseudo-summary">
            <p className="text-sm text-slate-700 dark:text-slate-300">{t('distil.pseudo.summary', summary.data)}</p>
            {summary.data.labelled > 0 && (
              <table className="mt-2 w-full max-w-sm">
                <thead>
                  <tr>
                    <th className={th}>{t('distil.pseudo.histogram')}</th>
                    <th className={th}>{t('distil.pseudo.questions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.data.histogram.filter((b) => b.count).map((b) => (
                    <tr key={b.bucket}>
                      <td className={`${td} tabular-nums`}>{b.bucket}</td>
                      <td className={`${td} tabular-nums`}>{b.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </Card>
    </div>
  );
}
