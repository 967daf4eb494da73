import { useEffect, useRef, useState } from 'react';
import { useApiQuery } from '../../api/hooks';
import { useProjectForm } from '../../app/useProjectForm';
import { trainApi, type Hardware, type Presets, type PresetName, type Recipe } from './api';

/** A preset's recipe; the paths, the hardware and the run's extras of `keep` stay. */
export function fromPreset(p: PresetName, presets: Presets, hw: Hardware | undefined, keep?: Recipe): Recipe {
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

/**
 * The Train form: the recipe the user last had in this project (else the s1 preset), kept in the project
 * on every change; the latest export pre-filled as the dataset; the GPUs of the environment check unless
 * the user typed some.
 */
export function useRecipe(projectPath: string) {
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
  const set = (patch: Partial<Recipe>) => {
    if ('gpus' in patch || 'gpuMemoryGib' in patch) hwTouched.current = true;
    setRecipe((r) => (r ? { ...r, ...patch } : r));
  };
  return { presets, hardware, exports, recipe, setRecipe, set };
}
