import { useTranslation } from 'react-i18next';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useDebounced } from '../../app/useDebounced';
import { Button, ErrorNote } from '../../app/ui';
import { trainApi, type Recipe } from './api';
import { DataCard } from './DataCard';
import { RecipeCard } from './RecipeCard';
import { useRecipe } from './useRecipe';
import { VerdictView } from './Verdict';

/** Dataset, base model and recipe, with the planner's verdict live, and Launch. */
export function Setup({ projectPath, nativePicker, onLaunched }: { projectPath: string; nativePicker: boolean; onLaunched: (runId: string) => void }) {
  const { t } = useTranslation();
  const { presets, hardware, exports, recipe, setRecipe, set } = useRecipe(projectPath);
  const base = useDebounced(recipe?.base.trim() ?? '', 300);
  const dataset = useDebounced(recipe?.dataset.trim() ?? '', 300);
  const model = useApiQuery(() => trainApi.inspectModel.query({ dir: base }), [base], base !== '');
  const data = useApiQuery(() => trainApi.inspectDataset.query({ dir: dataset }), [dataset], dataset !== '');
  const planned = useDebounced(recipe, 300);
  const canPlan = Boolean(planned && planned.base.trim() && model.data?.config && !model.data.configError && planned.base.trim() === base);
  const verdict = useApiQuery(() => trainApi.plan.query({ ...(planned as Recipe), dataset: planned?.dataset || '-' }), [planned, canPlan], canPlan);
  const launch = useApiMutation((r: Recipe) => trainApi.start.mutate(r));

  if (!presets.data || !recipe) return <ErrorNote error={presets.error} />;
  const m = base ? model.data : undefined;
  const d = dataset ? data.data : undefined;
  const ready = Boolean(m?.ok && d?.train && recipe.dataset.trim() && recipe.base.trim());
  const fits = verdict.data?.fits ?? false;
  const start = async () => {
    const r = await launch.run({
      ...recipe, name: recipe.name?.trim() || undefined, teacherModel: recipe.teacherModel?.trim() || undefined,
      teacherLogits: recipe.teacherLogits?.trim() || undefined,
    });
    if (r) onLaunched(r.runId);
  };

  return (
    <div className="grid gap-5 lg:grid-cols-2">
      <DataCard recipe={recipe} set={set} exports={exports.data} d={d} base={base} model={model} m={m} nativePicker={nativePicker} />
      <RecipeCard recipe={recipe} presets={presets.data} hardware={hardware.data} set={set} setRecipe={setRecipe} nativePicker={nativePicker}>
        <div className="mt-4 border-t border-slate-200 pt-3 dark:border-slate-800">
          <h3 className="mb-2 text-sm font-semibold">{t('train.plan.title')}</h3>
          {verdict.data && canPlan ? <VerdictView verdict={verdict.data} /> : <p className="text-sm text-slate-500">{t('train.plan.waiting')}</p>}
          <ErrorNote error={canPlan ? verdict.error : null} />
        </div>
        <div className="mt-4 flex items-center gap-3">
          <Button variant="primary" disabled={!ready || launch.pending || Boolean(verdict.data?.blocked)} onClick={() => void start()}>
            {launch.pending ? t('train.launching') : verdict.data && !fits ? t('train.launchAnyway') : t('train.launch')}
          </Button>
        </div>
        <ErrorNote error={launch.error} />
      </RecipeCard>
    </div>
  );
}
