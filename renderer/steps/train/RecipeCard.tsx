import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Card, inputClass } from '../../app/ui';
import type { Hardware, PresetName, Presets, Recipe } from './api';
import { FolderField, label, NumberField, SelectField } from './fields';
import { fromPreset } from './useRecipe';

type Props = {
  recipe: Recipe;
  presets: Presets;
  hardware: Hardware | undefined;
  set: (patch: Partial<Recipe>) => void;
  setRecipe: (r: Recipe) => void;
  nativePicker: boolean;
  /** The plan and Launch, under the recipe. */
  children: ReactNode;
};

/** The recipe: a preset, then every knob of it, the GPUs and the run's name. */
export function RecipeCard({ recipe, presets, hardware, set, setRecipe, nativePicker, children }: Props) {
  const { t } = useTranslation();
  return (
    <Card title={t('train.recipe.title')}>
      {/* Columns of at least 11rem: "Full fine-tuning" and the native arrow fit at 1280 px (three columns left it cut). */}
      <div className="grid grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-3">
        <SelectField id="train-preset" text={t('train.recipe.preset')} value={recipe.preset} onChange={(v) => setRecipe(fromPreset(v as PresetName, presets, hardware, recipe))}>
          {(Object.keys(presets) as PresetName[]).map((p) => (
            <option key={p} value={p}>
              {t(`train.recipe.presets.${p}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id="train-method" text={t('train.recipe.method')} value={recipe.method} onChange={(v) => set({ method: v as Recipe['method'] })}>
          {(['full', 'lora', 'qlora', 'kd'] as const).map((x) => (
            <option key={x} value={x}>
              {t(`train.recipe.methods.${x}`)}
            </option>
          ))}
        </SelectField>
        <NumberField id="train-lr" text={t('train.recipe.lr')} value={recipe.learningRate} onChange={(v) => v !== null && v > 0 && set({ learningRate: v })} />
        <NumberField id="train-epochs" text={t('train.recipe.epochs')} value={recipe.epochs} onChange={(v) => v !== null && v > 0 && set({ epochs: v })} />
        <NumberField id="train-batch" text={t('train.recipe.batch')} value={recipe.batchSize} step="1" min={1} onChange={(v) => v !== null && v >= 1 && set({ batchSize: Math.floor(v) })} />
        <NumberField id="train-max-length" text={t('train.recipe.maxLength')} value={recipe.maxLength} step="1" min={16} onChange={(v) => v !== null && v >= 16 && set({ maxLength: Math.floor(v) })} />
        <NumberField id="train-micro-batch" text={t('train.recipe.microBatch')} value={recipe.microBatch} step="1" min={1} onChange={(v) => v !== null && v >= 1 && set({ microBatch: Math.floor(v) })} />
        <NumberField id="train-gpus" text={t('train.recipe.gpus')} value={recipe.gpus} step="1" min={1} onChange={(v) => v !== null && v >= 1 && set({ gpus: Math.floor(v) })} />
        <NumberField id="train-gpu-memory" text={t('train.recipe.gpuMemory')} value={recipe.gpuMemoryGib} min={1} onChange={(v) => v !== null && v > 0 && set({ gpuMemoryGib: v })} />
        <NumberField id="train-max-steps" text={t('train.recipe.maxSteps')} value={recipe.maxSteps ?? null} step="1" min={1} allowEmpty onChange={(v) => set({ maxSteps: v === null ? null : Math.max(1, Math.floor(v)) })} />
        {recipe.gpus > 1 && (
          <SelectField id="train-distributed" text={t('train.recipe.distributed')} value={recipe.distributed ?? 'fsdp'} onChange={(v) => set({ distributed: v as Recipe['distributed'] })}>
            <option value="fsdp">{t('train.recipe.distributedOptions.fsdp')}</option>
            <option value="deepspeed">{hardware && !hardware.deepspeed ? t('train.recipe.deepspeedMissing') : t('train.recipe.distributedOptions.deepspeed')}</option>
          </SelectField>
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
            <FolderField id="train-teacher" text={t('train.recipe.teacher')} value={recipe.teacherModel ?? ''} onChange={(v) => set({ teacherModel: v })} nativePicker={nativePicker} />
            <div className="mt-2">
              <FolderField id="train-teacher-logits" text={t('train.recipe.teacherLogits')} value={recipe.teacherLogits ?? ''} onChange={(v) => set({ teacherLogits: v })} nativePicker={nativePicker} />
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
      {hardware && (
        <p className="mt-3 text-xs text-slate-500">
          {hardware.gpus > 0 ? t('train.recipe.hardware', { gpus: hardware.gpus, gib: hardware.gpuMemoryGib }) : t('train.recipe.noGpu')}
        </p>
      )}
      {children}
    </Card>
  );
}
