import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation } from '../../api/hooks';
import { Button, ErrorNote } from '../../app/ui';
import type { Recipe } from './types';

const IDS = ['s1', 'limo', 'light-r1'] as const;
type PresetId = (typeof IDS)[number];

/**
 * The models a preset is filled with: the bands' and filter models already chosen, then the registered teachers
 * (LIMO takes the first as the weak model and the second as the strong one).
 */
export function presetModels(recipe: Recipe, teachers: readonly string[]): string[] {
  const chosen = [...(recipe.difficulty.bands ?? []).map((b) => b.model), ...recipe.difficulty.filterModels];
  return [...new Set([...chosen, ...teachers])];
}

/** Presets as buttons at the top of the recipe: one click fills every knob (still editable), explained in one sentence. */
export function Presets({ recipe, teachers, onChange }: { recipe: Recipe; teachers: string[]; onChange: (r: Recipe) => void }) {
  const { t } = useTranslation();
  const load = useApiMutation((id: PresetId) => {
    const all = presetModels(recipe, teachers);
    const s1 = recipe.difficulty.filterModels.length ? recipe.difficulty.filterModels : (recipe.difficulty.bands ?? []).map((b) => b.model);
    const models = id === 's1' ? [...new Set(s1)] : id === 'limo' ? all.slice(0, 2) : all.slice(0, 1);
    return api.curate.preset.query({ id, models, keep: { teacher: recipe.teacher, studentDir: recipe.studentDir, seed: recipe.seed } });
  });
  const active = recipe.preset;
  return (
    <section className="space-y-2" aria-labelledby="cur-presets-title" data-testid="presets">
      <h3 id="cur-presets-title" className="text-sm font-semibold text-slate-900 dark:text-slate-100">
        {t('curatePresets.title')}
      </h3>
      <div className="flex flex-wrap gap-2" role="group" aria-labelledby="cur-presets-title">
        {IDS.map((id) => (
          <Button
            key={id}
            variant={active === id ? 'primary' : 'secondary'}
            aria-pressed={active === id}
            disabled={load.pending}
            data-testid={`preset-${id}`}
            onClick={() => void load.run(id).then((r) => r && onChange(r))}
          >
            {t(`curatePresets.${id}.name`)}
          </Button>
        ))}
      </div>
      <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="preset-summary">
        {active ? t(`curatePresets.${active}.summary`) : t('curatePresets.help')}
      </p>
      {active && active !== 's1' && teachers.length === 0 && <p className="text-xs text-amber-700 dark:text-amber-300">{t('curatePresets.needModels')}</p>}
      <ErrorNote error={load.error} />
    </section>
  );
}
