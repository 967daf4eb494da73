import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, Card, ErrorNote, inputClass } from '../../app/ui';
import { FolderInput } from '../project/FolderInput';
import { ImportGguf } from '../../app/models/ImportGguf';
import { trainApi, type Hardware, type Presets, type PresetName, type Recipe, type Verdict } from './api';
import { useProjectForm } from '../../app/useProjectForm';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024).toFixed(1)} KiB`;
}

const label = 'block text-xs font-medium text-slate-600 dark:text-slate-300';

function NumberField({ id, text, value, onChange, step, min, allowEmpty }: { id: string; text: string; value: number | null; onChange: (v: number | null) => void; step?: string; min?: number; allowEmpty?: boolean }) {
  const [raw, setRaw] = useState(value === null ? '' : String(value));
  useEffect(() => {
    setRaw((r) => (Number(r) === value || (r === '' && value === null) ? r : value === null ? '' : String(value)));
  }, [value]);
  return (
    <div>
      <label htmlFor={id} className={label}>
        {text}
      </label>
      <input
        id={id}
        type="number"
        className={`${inputClass} mt-1`}
        value={raw}
        step={step ?? 'any'}
        min={min}
        onChange={(e) => {
          setRaw(e.target.value);
          if (e.target.value.trim() === '') {
            if (allowEmpty) onChange(null);
            return;
          }
          const n = Number(e.target.value);
          if (Number.isFinite(n)) onChange(n);
        }}
      />
    </div>
  );
}

const PARTS = ['weights', 'gradients', 'optimizer', 'activations', 'lora', 'teacher', 'overhead'] as const;
const PART_COLORS: Record<(typeof PARTS)[number], string> = {
  weights: 'bg-indigo-500', gradients: 'bg-sky-500', optimizer: 'bg-cyan-500', activations: 'bg-amber-500', lora: 'bg-fuchsia-500', teacher: 'bg-rose-500', overhead: 'bg-slate-400',
};

/** The planner's verdict: fits or not, per-GPU GiB, a breakdown bar and the cheapest change. */
export function VerdictView({ verdict }: { verdict: Verdict }) {
  const { t } = useTranslation();
  const total = Math.max(verdict.per_gpu_gib, verdict.gpuMemoryGib);
  return (
    <div data-testid="plan-verdict" data-fits={verdict.fits ? 'yes' : 'no'}>
      <p className={`text-sm font-semibold ${verdict.fits ? 'text-emerald-700 dark:text-emerald-300' : 'text-rose-700 dark:text-rose-300'}`}>
        {t(verdict.fits ? 'train.plan.fits' : 'train.plan.noFit', { gib: verdict.per_gpu_gib, total: verdict.gpuMemoryGib })}
      </p>
      <div className="relative mt-2 flex h-4 w-full overflow-hidden rounded bg-slate-100 dark:bg-slate-800" aria-hidden="true">
        {PARTS.map((p) =>
          verdict.breakdown[p] > 0 ? <div key={p} className={PART_COLORS[p]} style={{ width: `${(100 * verdict.breakdown[p]) / total}%` }} title={`${p} ${verdict.breakdown[p].toFixed(2)} GiB`} /> : null,
        )}
        <div className="absolute inset-y-0 border-r-2 border-slate-900 dark:border-white" style={{ left: `${(100 * verdict.gpuMemoryGib) / total}%` }} />
      </div>
      <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
        {PARTS.filter((p) => verdict.breakdown[p] > 0).map((p) => (
          <li key={p} className="flex items-center gap-1">
            <span className={`inline-block h-2 w-3 rounded-sm ${PART_COLORS[p]}`} />
            {t(`train.plan.parts.${p}`)} {verdict.breakdown[p].toFixed(2)} GiB
          </li>
        ))}
      </ul>
      <p className="mt-1 text-xs text-slate-500">{t('train.plan.trainable', { trainable: formatCount(verdict.trainable_params), params: formatCount(verdict.params) })}</p>
      {verdict.suggestion && (
        <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/50 dark:text-amber-200" data-testid="plan-suggestion">
          <span className="font-medium">{t('train.plan.suggestion')}: </span>
          {verdict.suggestion}
        </p>
      )}
      {verdict.batch?.few && (
        <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/50 dark:text-amber-200" data-testid="plan-batch">
          {t('train.plan.fewExamples', { examples: verdict.batch.examples, effective: verdict.batch.effective })}
        </p>
      )}
      {verdict.blocked && (
        <p data-testid="plan-blocked" className="mt-2 text-sm text-rose-700 dark:text-rose-300">
          <span className="font-medium">{t('train.plan.blocked')}: </span>
          {verdict.blocked}
        </p>
      )}
    </div>
  );
}

function fromPreset(p: PresetName, presets: Presets, hw: Hardware | undefined, keep?: Recipe): Recipe {
  const d = presets[p];
  return {
    preset: p,
    base: keep?.base ?? '',
    dataset: keep?.dataset ?? '',
    method: d.method,
    learningRate: d.learningRate,
    epochs: d.epochs,
    batchSize: d.batchSize,
    maxLength: d.maxLength,
    microBatch: d.microBatch,
    gpus: keep?.gpus ?? Math.max(1, hw?.gpus ?? 1),
    gpuMemoryGib: keep?.gpuMemoryGib ?? hw?.gpuMemoryGib ?? 80,
    gradientCheckpointing: d.gradientCheckpointing,
    maxSteps: keep?.maxSteps ?? null,
    teacherModel: keep?.teacherModel,
    teacherLogits: keep?.teacherLogits,
    distributed: keep?.distributed,
    packing: keep?.packing,
    paddingFree: keep?.paddingFree,
  };
}

/** Dataset, base model and recipe, with the planner's verdict live, and Launch. */
export function Setup({ projectPath, nativePicker, onLaunched }: { projectPath: string; nativePicker: boolean; onLaunched: (runId: string) => void }) {
  const { t } = useTranslation();
  const presets = useApiQuery(() => trainApi.presets.query(), []);
  const hardware = useApiQuery(() => trainApi.hardware.query(), []);
  const exports = useApiQuery(() => trainApi.datasets.query(), [projectPath]);
  const form = useProjectForm<Recipe>('train', projectPath);
  const [recipe, setRecipeState] = useState<Recipe | null>(null);
  const setRecipe = (next: Recipe | null | ((r: Recipe | null) => Recipe | null)) => {
    setRecipeState((r) => {
      const v = typeof next === 'function' ? next(r) : next;
      if (v) form.save(v);
      return v;
    });
  };
  useEffect(() => {
    // The form the user last had in this project, else the s1 preset; saved fields over the preset's.
    if (presets.data && !recipe && form.saved !== undefined) setRecipeState({ ...fromPreset('s1', presets.data, hardware.data), ...(form.saved ?? {}) });
  }, [presets.data, hardware.data, recipe, form.saved]);
  useEffect(() => {
    // Pre-fill the latest export as the dataset when none is chosen yet.
    const latest = exports.data?.[0]?.dir;
    if (recipe && !recipe.dataset.trim() && latest) setRecipeState({ ...recipe, dataset: latest });
  }, [exports.data, recipe]);
  const hwTouched = useRef(false);
  useEffect(() => {
    // the environment check answers late (it imports torch): adopt its GPUs unless the user typed some
    if (hardware.data && !hwTouched.current) setRecipe((r) => (r ? { ...r, gpus: Math.max(1, hardware.data?.gpus ?? 1), gpuMemoryGib: hardware.data?.gpuMemoryGib ?? 80 } : r));
  }, [hardware.data]);

  const base = useDebounced(recipe?.base.trim() ?? '', 300);
  const dataset = useDebounced(recipe?.dataset.trim() ?? '', 300);
  const model = useApiQuery(() => trainApi.inspectModel.query({ dir: base }), [base], base !== '');
  const data = useApiQuery(() => trainApi.inspectDataset.query({ dir: dataset }), [dataset], dataset !== '');
  const planned = useDebounced(recipe, 300);
  const canPlan = Boolean(planned && planned.base.trim() && model.data?.config && !model.data.configError && planned.base.trim() === base);
  const verdict = useApiQuery(() => trainApi.plan.query({ ...(planned as Recipe), dataset: planned?.dataset || '-' }), [planned, canPlan], canPlan);
  const launch = useApiMutation((r: Recipe) => trainApi.start.mutate(r));

  if (!presets.data || !recipe) return <ErrorNote error={presets.error} />;
  const set = (patch: Partial<Recipe>) => {
    if ('gpus' in patch || 'gpuMemoryGib' in patch) hwTouched.current = true;
    setRecipe({ ...recipe, ...patch });
  };
  const m = base ? model.data : undefined;
  const d = dataset ? data.data : undefined;
  const ready = Boolean(m?.ok && d?.train && recipe.dataset.trim() && recipe.base.trim());
  const fits = verdict.data?.fits ?? false;

  return (
    <div className="grid gap-5 lg:grid-cols-2">
      <Card title={t('train.data.title')}>
        <div className="space-y-4">
          <div>
            <label htmlFor="train-dataset" className={label}>
              {t('train.data.dataset')}
            </label>
            <div className="mt-1">
              <FolderInput id="train-dataset" value={recipe.dataset} onChange={(v) => set({ dataset: v })} nativePicker={nativePicker} />
            </div>
            {exports.data && exports.data.length > 0 ? (
              <div className="mt-2 flex flex-wrap items-center gap-2 text-xs">
                <span className="text-slate-500">{t('train.data.exports')}:</span>
                {exports.data.map((x) => (
                  <button key={x.dir} type="button" className="rounded bg-slate-100 px-2 py-0.5 hover:bg-slate-200 dark:bg-slate-800" onClick={() => set({ dataset: x.dir })}>
                    {x.name} ({x.rows})
                  </button>
                ))}
              </div>
            ) : (
              <p className="mt-1 text-xs text-slate-500">{t('train.data.noExports')}</p>
            )}
            {d && (
              <div className="mt-2 text-sm" data-testid="dataset-info">
                {!d.train ? (
                  <p className="text-rose-700 dark:text-rose-300">{t(d.exists ? 'train.data.noTrain' : 'train.data.notFound')}</p>
                ) : (
                  <>
                    <p className="text-slate-700 dark:text-slate-300">
                      {t('train.data.rows', { rows: d.rows })}
                      {d.evalRows > 0 ? ` · ${t('train.data.evalRows', { rows: d.evalRows })}` : ''}
                    </p>
                    {!d.messages && <p className="text-rose-700 dark:text-rose-300">{t('train.data.notMessages')}</p>}
                    {d.messages && !d.thinking && <p className="text-amber-700 dark:text-amber-300">{t('train.data.noThinking')}</p>}
                  </>
                )}
              </div>
            )}
          </div>
          <div>
            <label htmlFor="train-base" className={label}>
              {t('train.data.base')}
            </label>
            <div className="mt-1">
              <FolderInput id="train-base" value={recipe.base} onChange={(v) => set({ base: v })} nativePicker={nativePicker} />
            </div>
            <ImportGguf id="train-base-gguf" onImported={(dir) => set({ base: dir })} />
            {base && model.loading && !m && <p className="mt-2 text-xs text-slate-500">{t('train.data.checking')}</p>}
            <ErrorNote error={base ? model.error : null} />
            {m && (
              <div className="mt-2 space-y-0.5 text-sm" data-testid="model-info" data-ok={m.ok ? 'yes' : 'no'}>
                {!m.exists ? (
                  <p className="text-rose-700 dark:text-rose-300">{t('train.data.notFound')}</p>
                ) : (
                  <>
                    <p className={m.ok ? 'font-medium text-emerald-700 dark:text-emerald-300' : 'text-rose-700 dark:text-rose-300'}>
                      {m.ok
                        ? t('train.data.modelOk')
                        : t('train.data.missing', {
                            what: [!m.config && t('train.data.config'), !m.tokenizer && t('train.data.tokenizer'), !m.weights && t('train.data.weights')].filter(Boolean).join(', ') || 'config.json',
                          })}
                    </p>
                    {m.configError && <p className="text-rose-700 dark:text-rose-300">{m.configError}</p>}
                    {m.architecture && (
                      <p className="text-slate-700 dark:text-slate-300">
                        <span className="font-mono" data-testid="model-arch">
                          {m.architecture}
                        </span>
                        {m.params !== null && ` · ${t('train.data.params', { params: formatCount(m.params) })}`}
                        {m.weights && ` · ${t('train.data.weightsSize', { size: formatBytes(m.weightsBytes) })}`}
                      </p>
                    )}
                    {m.layers !== null && <p className="text-xs text-slate-500">{t('train.data.layers', { layers: m.layers, hidden: m.hidden, vocab: m.vocab })}</p>}
                    <p className="text-xs text-slate-500">
                      {m.tokenizer ? t('train.data.tokenizerOk') : t('train.data.missing', { what: t('train.data.tokenizer') })} ·{' '}
                      {m.chatTemplate ? t('train.data.chatTemplate') : t('train.data.noChatTemplate')}
                    </p>
                  </>
                )}
              </div>
            )}
          </div>
        </div>
      </Card>

      <Card title={t('train.recipe.title')}>
        {/* Columns of at least 11rem: "Full fine-tuning" and the native arrow fit at 1280 px (three columns left it cut). */}
        <div className="grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-3">
          <div>
            <label htmlFor="train-preset" className={label}>
              {t('train.recipe.preset')}
            </label>
            <select id="train-preset" className={`${inputClass} mt-1`} value={recipe.preset} onChange={(e) => setRecipe(fromPreset(e.target.value as PresetName, presets.data as Presets, hardware.data, recipe))}>
              {(Object.keys(presets.data) as PresetName[]).map((p) => (
                <option key={p} value={p}>
                  {t(`train.recipe.presets.${p}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="train-method" className={label}>
              {t('train.recipe.method')}
            </label>
            <select id="train-method" className={`${inputClass} mt-1`} value={recipe.method} onChange={(e) => set({ method: e.target.value as Recipe['method'] })}>
              {(['full', 'lora', 'qlora', 'kd'] as const).map((x) => (
                <option key={x} value={x}>
                  {t(`train.recipe.methods.${x}`)}
                </option>
              ))}
            </select>
          </div>
          <NumberField id="train-lr" text={t('train.recipe.lr')} value={recipe.learningRate} onChange={(v) => v !== null && v > 0 && set({ learningRate: v })} />
          <NumberField id="train-epochs" text={t('train.recipe.epochs')} value={recipe.epochs} onChange={(v) => v !== null && v > 0 && set({ epochs: v })} />
          <NumberField id="train-batch" text={t('train.recipe.batch')} value={recipe.batchSize} step="1" min={1} onChange={(v) => v !== null && v >= 1 && set({ batchSize: Math.floor(v) })} />
          <NumberField id="train-max-length" text={t('train.recipe.maxLength')} value={recipe.maxLength} step="1" min={16} onChange={(v) => v !== null && v >= 16 && set({ maxLength: Math.floor(v) })} />
          <NumberField id="train-micro-batch" text={t('train.recipe.microBatch')} value={recipe.microBatch} step="1" min={1} onChange={(v) => v !== null && v >= 1 && set({ microBatch: Math.floor(v) })} />
          <NumberField id="train-gpus" text={t('train.recipe.gpus')} value={recipe.gpus} step="1" min={1} onChange={(v) => v !== null && v >= 1 && set({ gpus: Math.floor(v) })} />
          <NumberField id="train-gpu-memory" text={t('train.recipe.gpuMemory')} value={recipe.gpuMemoryGib} min={1} onChange={(v) => v !== null && v > 0 && set({ gpuMemoryGib: v })} />
          <NumberField id="train-max-steps" text={t('train.recipe.maxSteps')} value={recipe.maxSteps ?? null} step="1" min={1} allowEmpty onChange={(v) => set({ maxSteps: v === null ? null : Math.max(1, Math.floor(v)) })} />
          {recipe.gpus > 1 && (
            <div>
              <label htmlFor="train-distributed" className={label}>
                {t('train.recipe.distributed')}
              </label>
              <select id="train-distributed" className={`${inputClass} mt-1`} value={recipe.distributed ?? 'fsdp'} onChange={(e) => set({ distributed: e.target.value as Recipe['distributed'] })}>
                <option value="fsdp">{t('train.recipe.distributedOptions.fsdp')}</option>
                <option value="deepspeed">{hardware.data && !hardware.data.deepspeed ? t('train.recipe.deepspeedMissing') : t('train.recipe.distributedOptions.deepspeed')}</option>
              </select>
            </div>
          )}
          <div className="col-span-2 flex flex-col justify-end gap-1 sm:col-span-2">
            <label className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
              <input id="train-gc" type="checkbox" checked={recipe.gradientCheckpointing} onChange={(e) => set({ gradientCheckpointing: e.target.checked })} />
              {t('train.recipe.checkpointing')}
            </label>
            <label className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
              <input id="train-packing" type="checkbox" checked={Boolean(recipe.packing)} onChange={(e) => set({ packing: e.target.checked, paddingFree: e.target.checked })} />
              {t('train.recipe.packing')}
            </label>
          </div>
          {recipe.method === 'kd' && (
            <div className="col-span-2 sm:col-span-3">
              <label htmlFor="train-teacher" className={label}>
                {t('train.recipe.teacher')}
              </label>
              <div className="mt-1">
                <FolderInput id="train-teacher" value={recipe.teacherModel ?? ''} onChange={(v) => set({ teacherModel: v })} nativePicker={nativePicker} />
              </div>
              <label htmlFor="train-teacher-logits" className={`${label} mt-2`}>
                {t('train.recipe.teacherLogits')}
              </label>
              <div className="mt-1">
                <FolderInput id="train-teacher-logits" value={recipe.teacherLogits ?? ''} onChange={(v) => set({ teacherLogits: v })} nativePicker={nativePicker} />
              </div>
            </div>
          )}
          <div className="col-span-2 sm:col-span-3">
            <label htmlFor="train-name" className={label}>
              {t('train.recipe.name')}
            </label>
            <input id="train-name" className={`${inputClass} mt-1`} value={recipe.name ?? ''} onChange={(e) => set({ name: e.target.value })} />
          </div>
        </div>
        {hardware.data && (
          <p className="mt-3 text-xs text-slate-500">
            {hardware.data.gpus > 0 ? t('train.recipe.hardware', { gpus: hardware.data.gpus, gib: hardware.data.gpuMemoryGib }) : t('train.recipe.noGpu')}
          </p>
        )}
        <div className="mt-4 border-t border-slate-200 pt-3 dark:border-slate-800">
          <h3 className="mb-2 text-sm font-semibold">{t('train.plan.title')}</h3>
          {verdict.data && canPlan ? <VerdictView verdict={verdict.data} /> : <p className="text-sm text-slate-500">{t('train.plan.waiting')}</p>}
          <ErrorNote error={canPlan ? verdict.error : null} />
        </div>
        <div className="mt-4 flex items-center gap-3">
          <Button
            variant="primary"
            disabled={!ready || launch.pending || Boolean(verdict.data?.blocked)}
            onClick={async () => {
              const r = await launch.run({
                ...recipe, name: recipe.name?.trim() || undefined, teacherModel: recipe.teacherModel?.trim() || undefined,
                teacherLogits: recipe.teacherLogits?.trim() || undefined,
              });
              if (r) onLaunched(r.runId);
            }}
          >
            {launch.pending ? t('train.launching') : verdict.data && !fits ? t('train.launchAnyway') : t('train.launch')}
          </Button>
        </div>
        <ErrorNote error={launch.error} />
      </Card>
    </div>
  );
}
