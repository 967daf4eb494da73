import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../electron/core/jobs/types';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, Card, ErrorNote, Field, inputClass } from '../../app/ui';
import { ProgressPanel } from './ProgressPanel';
import { DEFAULT_PROMPT, muted, type GenerateInput } from './types';

type Mode = 'all' | 'limit' | 'sample';

/** Generation settings and Start, then the newest generation job's live progress. */
export function GenerationPanel({ projectPath, job }: { projectPath: string; job: JobProgress | undefined }) {
  const { t } = useTranslation();
  const teachers = useApiQuery(() => api.teacher.list.query(), [projectPath]);
  const [teacher, setTeacher] = useState('');
  const [mode, setMode] = useState<Mode>('all');
  const [n, setN] = useState('100');
  const [seed, setSeed] = useState('0');
  const [template, setTemplate] = useState(DEFAULT_PROMPT);
  const [system, setSystem] = useState('');
  const [temperature, setTemperature] = useState('');
  const [topP, setTopP] = useState('');
  const [maxTokens, setMaxTokens] = useState('');
  const [samples, setSamples] = useState('1');
  const [auto, setAuto] = useState(true);
  const [concurrency, setConcurrency] = useState('16');
  const [capture, setCapture] = useState(false);
  const [topK, setTopK] = useState('5');
  const [note, setNote] = useState<{ resumed: boolean; id: number } | null>(null);
  const start = useApiMutation((p: GenerateInput) => api.teacher.generate.mutate(p));

  const list = teachers.data ?? [];
  const chosen = teacher || list[0]?.name || '';
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  const submit = async () => {
    setNote(null);
    const p: GenerateInput = {
      teacher: chosen,
      questions: mode === 'all' ? { mode: 'all' } : mode === 'limit' ? { mode: 'limit', n: Number(n) } : { mode: 'sample', n: Number(n), seed: Number(seed) },
      promptTemplate: template,
      systemPrompt: system.trim() ? system : null,
      temperature: num(temperature),
      topP: num(topP),
      maxTokens: num(maxTokens),
      samples: Number(samples) || 1,
      concurrency: auto ? 'auto' : Number(concurrency),
      ...(capture ? { logprobs: Math.min(20, Math.max(1, Math.round(Number(topK) || 5))) } : {}),
    };
    const r = await start.run(p);
    if (r) setNote({ resumed: r.resumed, id: r.jobId });
  };

  const id = (s: string) => `gen-${s}`;
  return (
    <Card title={t('traces.gen.title')} labelId="gen-title">
      {teachers.data && list.length === 0 ? (
        <p className={`${muted} text-sm`}>{t('traces.gen.noTeacher')}</p>
      ) : (
        <form
          className="grid gap-4 md:grid-cols-4"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Field label={t('traces.gen.teacher')} htmlFor={id('teacher')}>
            <select id={id('teacher')} className={inputClass} value={chosen} onChange={(e) => setTeacher(e.target.value)}>
              {list.map((x) => (
                <option key={x.id} value={x.name}>
                  {x.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('traces.gen.questions')} htmlFor={id('mode')}>
            <select id={id('mode')} className={inputClass} value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
              <option value="all">{t('traces.gen.all')}</option>
              <option value="limit">{t('traces.gen.first')}</option>
              <option value="sample">{t('traces.gen.sample')}</option>
            </select>
          </Field>
          {mode !== 'all' && (
            <Field label={t('traces.gen.n')} htmlFor={id('n')}>
              <input id={id('n')} type="number" min={1} className={inputClass} value={n} onChange={(e) => setN(e.target.value)} />
            </Field>
          )}
          {mode === 'sample' && (
            <Field label={t('traces.gen.seed')} htmlFor={id('seed')}>
              <input id={id('seed')} type="number" className={inputClass} value={seed} onChange={(e) => setSeed(e.target.value)} />
            </Field>
          )}
          <div className="md:col-span-4">
            <Field label={t('traces.gen.template')} htmlFor={id('template')}>
              <textarea id={id('template')} rows={3} spellCheck={false} className={`${inputClass} font-mono`} value={template} onChange={(e) => setTemplate(e.target.value)} />
            </Field>
            <div className="mt-1 flex items-center justify-between gap-2">
              <p className={muted}>{t('traces.gen.templateHelp')}</p>
              {template !== DEFAULT_PROMPT && (
                <Button variant="ghost" onClick={() => setTemplate(DEFAULT_PROMPT)}>
                  {t('traces.gen.resetTemplate')}
                </Button>
              )}
            </div>
          </div>
          <div className="md:col-span-4">
            <Field label={t('traces.gen.system')} htmlFor={id('system')}>
              <textarea id={id('system')} rows={2} className={inputClass} value={system} placeholder={t('traces.gen.systemHelp')} onChange={(e) => setSystem(e.target.value)} />
            </Field>
          </div>
          <Field label={t('traces.gen.temperature')} htmlFor={id('temperature')}>
            <input id={id('temperature')} type="number" min={0} max={2} step="0.05" placeholder={t('traces.gen.serverDefault')} className={inputClass} value={temperature} onChange={(e) => setTemperature(e.target.value)} />
          </Field>
          <Field label={t('traces.gen.topP')} htmlFor={id('top-p')}>
            <input id={id('top-p')} type="number" min={0} max={1} step="0.05" placeholder={t('traces.gen.serverDefault')} className={inputClass} value={topP} onChange={(e) => setTopP(e.target.value)} />
          </Field>
          <Field label={t('traces.gen.maxTokens')} htmlFor={id('max-tokens')}>
            <input id={id('max-tokens')} type="number" min={1} placeholder={t('traces.gen.serverDefault')} className={inputClass} value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} />
          </Field>
          <Field label={t('traces.gen.samples')} htmlFor={id('samples')}>
            <input id={id('samples')} type="number" min={1} max={64} className={inputClass} value={samples} onChange={(e) => setSamples(e.target.value)} />
          </Field>
          <div className="space-y-1 md:col-span-2">
            <label htmlFor={id('concurrency')} className="block text-xs font-medium text-slate-600 dark:text-slate-400">
              {t('traces.gen.concurrency')}
            </label>
            <div className="flex items-center gap-3">
              <label className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
                {t('traces.gen.auto')}
              </label>
              <input id={id('concurrency')} type="number" min={1} max={4096} disabled={auto} className={`${inputClass} max-w-28`} value={concurrency} onChange={(e) => setConcurrency(e.target.value)} />
            </div>
            <p className={muted}>{t('traces.gen.autoHelp')}</p>
          </div>
          <div className="space-y-1 md:col-span-2">
            <div className="flex items-center gap-3">
              <label className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" data-testid="gen-logprobs" checked={capture} onChange={(e) => setCapture(e.target.checked)} />
                {t('traces.gen.logprobs')}
              </label>
              <input id={id('top-k')} aria-label={t('traces.gen.logprobsK')} type="number" min={1} max={20} disabled={!capture} className={`${inputClass} max-w-20`} value={topK} onChange={(e) => setTopK(e.target.value)} />
            </div>
            <p className={muted}>{t('traces.gen.logprobsHelp')}</p>
          </div>
          <div className="flex items-end gap-3 md:col-span-2 md:justify-end">
            {note && (
              <p role="status" className="text-xs text-emerald-700 dark:text-emerald-300">
                {note.resumed ? t('traces.gen.resumed') : t('traces.gen.started', { id: note.id })}
              </p>
            )}
            <Button type="submit" variant="primary" disabled={!chosen || start.pending}>
              {start.pending ? t('traces.gen.starting') : t('traces.gen.start')}
            </Button>
          </div>
        </form>
      )}
      <ErrorNote error={start.error ?? teachers.error} />
      <div className="mt-4">{job ? <ProgressPanel job={job} /> : <p className={muted}>{t('traces.progress.none')}</p>}</div>
    </Card>
  );
}
