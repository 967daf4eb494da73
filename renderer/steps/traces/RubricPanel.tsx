import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../electron/core/jobs/types';
import { api } from '../../api/client';
import { action, useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, Card, ErrorNote, Field, inputClass } from '../../app/ui';
import { Badge, Select, td, th } from '../questions/parts';
import { RubricEditor, type RubricDraft } from './RubricEditor';

const NEW = '';
const blank: RubricDraft = { name: '', criteria: [{ name: '', description: '', weight: 1 }], threshold: 0.7 };
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);

/** Rubric judging in the Traces step: the rubric editor, a judge run, verdicts to mark by hand, and the calibration. */
export function RubricPanel({ jobs }: { jobs: JobProgress[] }) {
  const { t } = useTranslation();
  const [tick, setTick] = useState(0);
  const rubrics = useApiQuery(() => api.verification.rubric.list.query(), [tick]);
  const teachers = useApiQuery(() => api.teacher.list.query(), []);
  const [name, setName] = useState(NEW);
  useEffect(() => {
    if (name === NEW && rubrics.data?.[0]) setName(rubrics.data[0].name);
  }, [rubrics.data, name]);
  const current = rubrics.data?.find((r) => r.name === name);
  const draft = useMemo<RubricDraft>(() => (current ? { name: current.name, criteria: current.criteria.map((c) => ({ ...c })), threshold: current.threshold } : blank), [current]);
  const [judge, setJudge] = useState('');
  const [limit, setLimit] = useState(30);
  const run = useApiMutation(() => api.verification.rubric.judge.mutate({ rubric: name, judge, limit }));
  const mine = jobs.filter((j) => j.kind === 'rubric-judge');
  const active = mine.find((j) => j.status === 'running' || j.status === 'queued');
  const finished = mine.filter((j) => j.status === 'done').length;
  const key = [name, tick, finished];
  const verdicts = useApiQuery(() => (name ? api.verification.rubric.verdicts.query({ name, limit: 200 }) : Promise.resolve(null)), key);
  const cal = useApiQuery(() => (name ? api.verification.rubric.calibration.query({ name }) : Promise.resolve(null)), key);
  const mark = useApiMutation((traceId: number, passed: boolean | null) => api.verification.rubric.mark.mutate({ name, traceId, passed }));
  const names = teachers.data?.map((x) => x.name) ?? [];
  useEffect(() => {
    if (!judge && names[0]) setJudge(names[0]);
  }, [judge, names]);
  const untrusted = cal.data?.judges.find((j) => j.warning);

  return (
    <Card title={t('rubric.title')} labelId="rubric-title">
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">{t('rubric.help')}</p>
      <div className="mb-3 max-w-xs">
        <Field label={t('rubric.rubric')} htmlFor="rubric-pick">
          <Select id="rubric-pick" value={name} onChange={(e) => setName(e.target.value)}>
            <option value={NEW}>{t('rubric.newRubric')}</option>
            {rubrics.data?.map((r) => (
              <option key={r.name} value={r.name}>
                {r.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <RubricEditor
        initial={draft}
        onSaved={(n) => {
          setName(n);
          setTick((x) => x + 1);
        }}
      />
      {current && (
        <div className="mt-5 space-y-4 border-t border-slate-100 pt-4 dark:border-slate-800">
          <div className="flex flex-wrap items-end gap-3">
            <Field label={t('rubric.judge')} htmlFor="rubric-judge">
              <Select id="rubric-judge" value={judge} onChange={(e) => setJudge(e.target.value)}>
                {names.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t('rubric.limit')} htmlFor="rubric-limit">
              <input id="rubric-limit" type="number" min={1} className={`${inputClass} w-28`} value={limit} onChange={(e) => setLimit(Math.max(1, Number(e.target.value) || 1))} />
            </Field>
            <Button variant="primary" disabled={!judge || run.pending || Boolean(active)} onClick={() => void run.run()}>
              {t('rubric.run')}
            </Button>
            {active && <span className="text-sm text-slate-600">{t('rubric.running', { job: active.jobId, done: active.done + active.failed, total: active.total ?? 0 })}</span>}
          </div>
          <ErrorNote error={run.error ?? mark.error ?? verdicts.error} />
          <Calibration data={cal.data ?? null} />
          {untrusted && (
            <p role="alert" data-testid="calibration-warning" className="rounded-md bg-amber-50 p-2 text-sm text-amber-800 dark:bg-amber-950 dark:text-amber-200">
              {t('rubric.calibration.warning', { judge: untrusted.judge, n: untrusted.n, accuracy: pct(untrusted.accuracy) })}
            </p>
          )}
          <h3 className="text-sm font-semibold">{t('rubric.verdicts', { total: verdicts.data?.total ?? 0 })}</h3>
          {verdicts.data?.total === 0 && <p className="text-sm text-slate-500">{t('rubric.noVerdicts')}</p>}
          {!!verdicts.data?.rows.length && (
            <div className="max-h-[28rem] overflow-y-auto">
              <table className="w-full" data-testid="rubric-verdicts">
                <thead>
                  <tr>
                    {['trace', 'judge', 'scores', 'total', 'verdict', 'yourMark'].map((k) => (
                      <th key={k} className={th}>
                        {t(`rubric.${k}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {verdicts.data.rows.map((v) => (
                    <tr key={`${v.traceId}:${v.judge}`}>
                      <td className={`${td} font-mono`}>#{v.traceId}</td>
                      <td className={td}>{v.judge}</td>
                      <td className={`${td} text-xs`}>
                        {v.scores ? (
                          <ul>
                            {v.scores.map((s) => (
                              <li key={s.criterion}>
                                <span className="font-medium">{s.criterion}</span> {Math.round(s.score * 10)}/10 — {s.reason}
                              </li>
                            ))}
                          </ul>
                        ) : (
                          v.reason
                        )}
                      </td>
                      <td className={`${td} tabular-nums`}>{pct(v.total)}</td>
                      <td className={td}>
                        <Badge tone={v.passed === null ? 'slate' : v.passed ? 'emerald' : 'rose'}>{t(`rubric.${v.passed === null ? 'undecided' : v.passed ? 'pass' : 'fail'}`)}</Badge>
                      </td>
                      <td className={td}>
                        {v.passed !== null && (
                          <div className="flex flex-wrap gap-1">
                            <Button className="!px-2 !py-0.5 text-xs" aria-pressed={v.mark === v.passed} onClick={action(async () => (await mark.run(v.traceId, v.passed)) !== undefined && setTick((x) => x + 1))}>
                              {t('rubric.right')}
                            </Button>
                            <Button className="!px-2 !py-0.5 text-xs" aria-pressed={v.mark !== null && v.mark !== v.passed} onClick={action(async () => (await mark.run(v.traceId, !v.passed)) !== undefined && setTick((x) => x + 1))}>
                              {t('rubric.wrong')}
                            </Button>
                            {v.mark !== null && (
                              <Button className="!px-2 !py-0.5 text-xs" onClick={action(async () => (await mark.run(v.traceId, null)) !== undefined && setTick((x) => x + 1))}>
                                {t('rubric.clear')}
                              </Button>
                            )}
                          </div>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </Card>
  );
}

type CalibrationData = Awaited<ReturnType<typeof api.verification.rubric.calibration.query>>;

function Calibration({ data }: { data: CalibrationData | null }) {
  const { t } = useTranslation();
  if (!data) return null;
  const status = (w: string | null) => (w === 'too_few_marks' ? t('rubric.calibration.tooFew') : w === 'low_agreement' ? t('rubric.calibration.low', { min: pct(data.minAgreement) }) : t('rubric.calibration.trusted'));
  return (
    <section data-testid="calibration" aria-labelledby="calibration-title">
      <h3 id="calibration-title" className="text-sm font-semibold">
        {t('rubric.calibration.title')}
      </h3>
      <p className="text-xs text-slate-600 dark:text-slate-400">{t('rubric.calibration.help', { min: pct(data.minAgreement), marks: data.minMarks })}</p>
      <p className="mt-1 text-sm" data-testid="calibration-marks">
        {t('rubric.calibration.marks', { count: data.marks })}
      </p>
      {data.judges.length > 0 && (
        <table className="mt-2 w-full max-w-2xl">
          <thead>
            <tr>
              {['judge', 'n', 'accuracy', 'kappa', 'status'].map((k) => (
                <th key={k} className={th}>
                  {t(`rubric.calibration.${k}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.judges.map((j) => (
              <tr key={j.judge} data-testid={`calibration-${j.judge}`}>
                <td className={td}>{j.judge}</td>
                <td className={`${td} tabular-nums`}>{j.n}</td>
                <td className={`${td} tabular-nums`}>{pct(j.accuracy)}</td>
                <td className={`${td} tabular-nums`}>{j.kappa === null ? '–' : j.kappa.toFixed(2)}</td>
                <td className={td}>
                  <Badge tone={j.warning ? 'amber' : 'emerald'}>{status(j.warning)}</Badge>
                </td>
              </tr>
            ))}
            {data.pairs.map((p) => (
              <tr key={`${p.a}|${p.b}`}>
                <td className={td}>
                  {t('rubric.calibration.pairs')}: {p.a} / {p.b}
                </td>
                <td className={`${td} tabular-nums`}>{p.n}</td>
                <td className={`${td} tabular-nums`}>{pct(p.accuracy)}</td>
                <td className={`${td} tabular-nums`}>{p.kappa === null ? '–' : p.kappa.toFixed(2)}</td>
                <td className={td} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
