import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation } from '../../api/hooks';
import { Button, Card, ErrorNote, inputClass } from '../../app/ui';
import { evalApi, type BenchmarkInfo, type ModelOption, type RunInput } from './api';
import { BenchPicker } from './BenchPicker';
import { Budgets, DEFAULT_BUDGETS, expandBudgets, type BudgetState } from './Budgets';
import { muted, shown } from './format';
import { ModelPicker, optionKey, specOf, type Chosen } from './ModelPicker';

interface Options {
  samples: string;
  repeats: string;
  limit: string;
  maxAnswerTokens: string;
  temperature: string;
  waitWord: string;
  concurrency: string;
  judge: string;
  systemPrompt: string;
  name: string;
}

const DEFAULTS: Options = { samples: '1', repeats: '1', limit: '', maxAnswerTokens: '', temperature: '', waitWord: 'Wait', concurrency: '', judge: '', systemPrompt: '', name: '' };

/** A whole number field's value, or undefined when empty; NaN marks a bad value. */
const int = (s: string) => (s.trim() === '' ? undefined : /^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN);

function NumberField({ id, label, value, onChange, min, max, step, placeholder }: { id: string; label: string; value: string; onChange: (v: string) => void; min?: number; max?: number; step?: number; placeholder?: string }) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600 dark:text-slate-400">
        {label}
      </label>
      <input id={id} type="number" min={min} max={max} step={step} placeholder={placeholder} className={inputClass} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/**
 * A new evaluation: models, benchmarks, thinking budgets, samples and the question limit, then Start
 * (Ctrl+Enter). The engine checks everything again and answers a bad choice with a sentence.
 */
export function NewRun({
  models,
  benchmarks,
  nativePicker,
  onModelsChanged,
  onBenchmarksChanged,
  onStarted,
}: {
  models: ModelOption[];
  benchmarks: BenchmarkInfo[];
  nativePicker: boolean;
  onModelsChanged: () => void;
  onBenchmarksChanged: () => void;
  onStarted: (runId: string) => void;
}) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<Map<string, Chosen>>(new Map());
  const [benches, setBenches] = useState<string[]>([]);
  const [budgets, setBudgets] = useState<BudgetState>(DEFAULT_BUDGETS);
  const [o, setO] = useState<Options>(DEFAULTS);
  const set = (k: keyof Options) => (v: string) => setO((p) => ({ ...p, [k]: v }));
  const expanded = expandBudgets(budgets);
  const picked = models.filter((m) => chosen.has(optionKey(m)));
  const teachers = models.filter((m) => m.spec.kind === 'endpoint');

  const nums = { samples: int(o.samples), repeats: int(o.repeats), limit: int(o.limit), maxAnswerTokens: int(o.maxAnswerTokens), concurrency: int(o.concurrency) };
  const temperature = o.temperature.trim() === '' ? undefined : Number(o.temperature);
  const badNumber = Object.values(nums).some((v) => Number.isNaN(v)) || (temperature !== undefined && !(temperature >= 0 && temperature <= 2));
  const ready = picked.length > 0 && benches.length > 0 && !expanded.error && !badNumber;

  const start = useApiMutation(async () => {
    const input: RunInput = {
      models: picked.map((m) => specOf(m, chosen.get(optionKey(m)) as Chosen)),
      benchmarks: benches,
      budgets: expanded.budgets,
      ...(nums.samples !== undefined ? { samples: nums.samples } : {}),
      ...(nums.repeats !== undefined ? { repeats: nums.repeats } : {}),
      ...(nums.limit !== undefined ? { limit: nums.limit } : {}),
      ...(nums.maxAnswerTokens !== undefined ? { maxAnswerTokens: nums.maxAnswerTokens } : {}),
      ...(nums.concurrency !== undefined ? { concurrency: nums.concurrency } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      ...(o.waitWord.trim() ? { waitWord: o.waitWord.trim() } : {}),
      ...(o.judge ? { judge: o.judge } : {}),
      ...(o.systemPrompt.trim() ? { systemPrompt: o.systemPrompt } : {}),
      ...(o.name.trim() ? { name: o.name.trim() } : {}),
    };
    const r = await evalApi.runs.start.mutate(input);
    onStarted(r.runId);
    return r;
  });

  // Ctrl+Enter (⌘+Enter) starts the run from anywhere in the step.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Only while the setup is shown (the Playground tab hides it).
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && ready && !start.pending && shown(document.querySelector('[data-testid="eval-setup"]'))) {
        e.preventDefault();
        void start.run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ready, start]);

  // A folder just added is ticked at once.
  const onListChanged = (added?: ModelOption) => {
    if (added) setChosen((c) => new Map(c).set(optionKey(added), { label: added.spec.label, engine: added.spec.kind === 'onnx' ? 'onnx' : 'served', templateDir: '' }));
    onModelsChanged();
  };

  return (
    <div className="space-y-5" data-testid="eval-setup">
      <div className="grid gap-5 xl:grid-cols-2">
        <Card title={t('evaluate.models.title')} labelId="eval-models-title">
          <p className={`${muted} mb-2`}>{t('evaluate.models.help')}</p>
          <ModelPicker options={models} chosen={chosen} onChange={setChosen} onListChanged={onListChanged} nativePicker={nativePicker} />
        </Card>
        <Card title={t('evaluate.bench.title')} labelId="eval-bench-title">
          <BenchPicker benchmarks={benchmarks} chosen={benches} onChange={setBenches} onListChanged={onBenchmarksChanged} />
        </Card>
      </div>
      <Card title={t('evaluate.budgets.title')} labelId="eval-budgets-title">
        <div className="grid gap-5 lg:grid-cols-[2fr_1fr]">
          <Budgets value={budgets} onChange={setBudgets} />
          <div className="grid grid-cols-2 content-start gap-3">
            <NumberField id="eval-samples" label={t('evaluate.run.samples')} value={o.samples} onChange={set('samples')} min={1} max={64} />
            <NumberField id="eval-limit" label={t('evaluate.run.limit')} value={o.limit} onChange={set('limit')} min={1} placeholder={t('evaluate.run.limitAll')} />
            <p className={`${muted} col-span-2`}>{t('evaluate.run.samplesHelp')}</p>
            <NumberField id="eval-repeats" label={t('evaluate.run.repeats')} value={o.repeats} onChange={set('repeats')} min={1} max={32} />
            <p className={`${muted} col-span-2`}>{t('evaluate.run.repeatsHelp')}</p>
          </div>
        </div>
        <details className="mt-4">
          <summary className="cursor-pointer text-sm font-medium text-indigo-700 dark:text-indigo-300">{t('evaluate.run.advanced')}</summary>
          <div className="mt-3 grid gap-3 sm:grid-cols-3">
            <NumberField id="eval-max-answer" label={t('evaluate.run.maxAnswer')} value={o.maxAnswerTokens} onChange={set('maxAnswerTokens')} min={1} max={32768} placeholder={t('evaluate.run.maxAnswerAuto')} />
            <NumberField id="eval-temperature" label={t('evaluate.run.temperature')} value={o.temperature} onChange={set('temperature')} min={0} max={2} step={0.1} placeholder={t('evaluate.run.temperatureAuto')} />
            <NumberField id="eval-concurrency" label={t('evaluate.run.concurrency')} value={o.concurrency} onChange={set('concurrency')} min={1} max={64} placeholder={t('evaluate.run.concurrencyAuto')} />
            <div>
              <label htmlFor="eval-wait-word" className="block text-xs font-medium text-slate-600 dark:text-slate-400">
                {t('evaluate.run.waitWord')}
              </label>
              <input id="eval-wait-word" className={inputClass} value={o.waitWord} maxLength={40} onChange={(e) => set('waitWord')(e.target.value)} />
            </div>
            <div>
              <label htmlFor="eval-judge" className="block text-xs font-medium text-slate-600 dark:text-slate-400">
                {t('evaluate.run.judge')}
              </label>
              <select id="eval-judge" className={inputClass} value={o.judge} onChange={(e) => set('judge')(e.target.value)}>
                <option value="">{t('evaluate.run.noJudge')}</option>
                {teachers.map((m) => (m.spec.kind === 'endpoint' ? <option key={m.spec.teacher} value={m.spec.teacher}>{m.spec.teacher}</option> : null))}
              </select>
            </div>
            <div>
              <label htmlFor="eval-name" className="block text-xs font-medium text-slate-600 dark:text-slate-400">
                {t('evaluate.run.name')}
              </label>
              <input id="eval-name" className={inputClass} value={o.name} maxLength={200} onChange={(e) => set('name')(e.target.value)} />
            </div>
            <div className="sm:col-span-3">
              <label htmlFor="eval-system" className="block text-xs font-medium text-slate-600 dark:text-slate-400">
                {t('evaluate.run.system')}
              </label>
              <textarea id="eval-system" rows={2} className={inputClass} value={o.systemPrompt} onChange={(e) => set('systemPrompt')(e.target.value)} />
            </div>
          </div>
        </details>
        <div className="mt-4 flex flex-wrap items-center gap-3">
          <Button variant="primary" disabled={!ready || start.pending} onClick={() => void start.run()} aria-keyshortcuts="Control+Enter">
            {start.pending ? t('evaluate.run.starting') : t('evaluate.run.start')}
          </Button>
          <span className={muted} data-testid="eval-summary">
            {t('evaluate.run.summary', { models: picked.length, benchmarks: benches.length, budgets: expanded.budgets.length })}
          </span>
          {badNumber && <span className="text-xs text-rose-700 dark:text-rose-300">{t('evaluate.run.badNumber')}</span>}
          <span className={`${muted} ml-auto`}>{t('evaluate.run.shortcut')}</span>
        </div>
        <ErrorNote error={start.error} />
      </Card>
    </div>
  );
}
