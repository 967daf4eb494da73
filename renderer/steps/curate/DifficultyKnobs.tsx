import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../electron/core/jobs/types';
import { Button, Field, inputClass } from '../../app/ui';
import { FolderInput } from '../project/FolderInput';
import { DifficultyFilter } from './DifficultyFilter';
import { Advanced, Check, Group, NumberInput } from './fields';
import { stageSummary } from './summaries';
import type { Recipe } from './types';

type D = Recipe['difficulty'];
type Band = D['bands'][number];

/** The difficulty stage: filter models and pass-rate bands in plain words; the counts and the stand-in under Advanced. */
export function DifficultyKnobs({ recipe, onChange, teachers, jobs }: { recipe: Recipe; onChange: (r: Recipe) => void; teachers: string[]; jobs: JobProgress[] }) {
  const { t, i18n } = useTranslation();
  const d = recipe.difficulty;
  const setD = (p: Partial<D>) => onChange({ ...recipe, difficulty: { ...d, ...p } });
  return (
    <Group id="cur-difficulty-on" stage="difficulty" title={t('curate.knobs.difficulty')} enabled={d.enabled} onEnabled={(enabled) => setD({ enabled })} enabledLabel={t('curate.knobs.difficultyOn')} summary={stageSummary(t, recipe, 'difficulty', i18n.language)}>
      {teachers.length === 0 ? (
        <p className="text-xs text-slate-500 dark:text-slate-400">{t('curate.knobs.noFilterModels')}</p>
      ) : (
        <fieldset>
          <legend className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-400">{t('curate.knobs.filterModels')}</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {teachers.map((n) => (
              <Check key={n} id={`cur-filter-${n}`} checked={d.filterModels.includes(n)} onChange={(on) => setD({ filterModels: on ? [...d.filterModels, n] : d.filterModels.filter((x) => x !== n) })}>
                {n}
              </Check>
            ))}
          </div>
        </fieldset>
      )}
      <Bands bands={d.bands ?? []} teachers={teachers} onChange={(bands) => setD({ bands })} />
      {(teachers.length > 0 || (d.bands ?? []).some((b) => b.role === 'student')) && <DifficultyFilter recipe={recipe} jobs={jobs} />}
      <Field label={t('curate.knobs.studentDir')} htmlFor="cur-student">
        <FolderInput id="cur-student" value={recipe.studentDir ?? ''} nativePicker={false} onChange={(p) => onChange({ ...recipe, studentDir: p.trim() || null })} />
      </Field>
      <p className="text-xs text-slate-500 dark:text-slate-400">{t('curate.knobs.studentHelp')}</p>
      <Advanced stage="difficulty" label={t('curatePresets.advanced')}>
        <div className="grid grid-cols-2 gap-3">
          {d.filterModels.length > 0 && (
            <Field label={t('curate.knobs.solvedAtLeast')} htmlFor="cur-solved">
              <NumberInput id="cur-solved" value={d.solvedAtLeast} min={1} onChange={(n) => n !== null && setD({ solvedAtLeast: n })} />
            </Field>
          )}
          <Field label={t('curate.knobs.minTokens')} htmlFor="cur-min-tokens">
            <NumberInput id="cur-min-tokens" value={d.minThinkingTokens} min={0} empty={null} placeholder={t('curate.knobs.noMax')} onChange={(minThinkingTokens) => setD({ minThinkingTokens })} />
          </Field>
        </div>
      </Advanced>
    </Group>
  );
}

/** Pass-rate bands: "the weak model solves 0–0 of 4 tries", one row per band, every number editable. */
function Bands({ bands, teachers, onChange }: { bands: Band[]; teachers: string[]; onChange: (b: Band[]) => void }) {
  const { t } = useTranslation();
  const set = (i: number, p: Partial<Band>) => {
    const next = bands.map((b, j) => (j === i ? { ...b, ...p } : b));
    const b = next[i] as Band;
    // Keep 0 ≤ min ≤ max ≤ k while the user types, so the preview never receives a band the engine refuses.
    b.max = Math.min(Math.max(b.max, b.min), b.k);
    b.min = Math.min(b.min, b.max);
    onChange(next);
  };
  const models = (cur: string) => [...new Set([cur, ...teachers])].filter(Boolean);
  return (
    <fieldset className="space-y-2" data-testid="bands">
      <legend className="text-xs font-medium text-slate-600 dark:text-slate-400">{t('curatePresets.bands.title')}</legend>
      <p className="text-xs text-slate-500 dark:text-slate-400">{t('curatePresets.bands.help')}</p>
      {bands.map((b, i) => (
        <div key={i} className="grid grid-cols-3 gap-2 rounded-md bg-slate-50 p-2 ring-1 ring-slate-200 dark:bg-slate-950 dark:ring-slate-800" data-testid="band">
          <Field label={t('curatePresets.bands.name')} htmlFor={`cur-band-name-${i}`}>
            <input id={`cur-band-name-${i}`} className={inputClass} value={b.name} maxLength={80} onChange={(e) => e.target.value.trim() && set(i, { name: e.target.value })} />
          </Field>
          <Field label={t('curatePresets.bands.model')} htmlFor={`cur-band-model-${i}`}>
            <select id={`cur-band-model-${i}`} className={inputClass} value={b.model} onChange={(e) => set(i, { model: e.target.value })}>
              {models(b.model).map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </Field>
          <Field label={t('curatePresets.bands.role')} htmlFor={`cur-band-role-${i}`}>
            <select id={`cur-band-role-${i}`} className={inputClass} value={b.role} onChange={(e) => {
                const role = e.target.value as Band['role'];
                // The student's answers are stored under its own name; a filter model is a registered teacher.
                set(i, { role, model: role === 'student' ? 'student' : (teachers[0] ?? b.model) });
              }}>
              <option value="filter">{t('curatePresets.bands.roleFilter')}</option>
              <option value="student">{t('curatePresets.bands.roleStudent')}</option>
            </select>
          </Field>
          <Field label={t('curatePresets.bands.min')} htmlFor={`cur-band-min-${i}`}>
            <NumberInput id={`cur-band-min-${i}`} value={b.min} min={0} onChange={(n) => n !== null && set(i, { min: n })} />
          </Field>
          <Field label={t('curatePresets.bands.max')} htmlFor={`cur-band-max-${i}`}>
            <NumberInput id={`cur-band-max-${i}`} value={b.max} min={0} onChange={(n) => n !== null && set(i, { max: n })} />
          </Field>
          <Field label={t('curatePresets.bands.k')} htmlFor={`cur-band-k-${i}`}>
            <NumberInput id={`cur-band-k-${i}`} value={b.k} min={1} max={256} onChange={(n) => n !== null && set(i, { k: n })} />
          </Field>
          <Button variant="ghost" className="col-span-3 justify-self-end !px-2 !py-0.5 text-xs" onClick={() => onChange(bands.filter((_, j) => j !== i))}>
            {t('curatePresets.bands.remove', { name: b.name })}
          </Button>
        </div>
      ))}
      <Button
        variant="ghost"
        onClick={() => onChange([...bands, teachers[0] ? { name: `band ${bands.length + 1}`, model: teachers[0], role: 'filter', k: 8, min: 0, max: 4 } : { name: 'student', model: 'student', role: 'student', k: 8, min: 0, max: 4 }])}
      >
        + {t('curatePresets.bands.add')}
      </Button>
      {teachers.length === 0 && <p className="text-xs text-slate-500 dark:text-slate-400">{t('curatePresets.bands.needTeacher')}</p>}
    </fieldset>
  );
}
