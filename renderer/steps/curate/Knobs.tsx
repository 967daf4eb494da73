import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, ErrorNote, Field, inputClass } from '../../app/ui';
import { FolderInput } from '../project/FolderInput';
import { Check, Group, NumberInput } from './fields';
import type { FormatRule, Recipe } from './types';
import type { JobProgress } from '../../../electron/core/jobs/types';
import { AgreementSwitches } from './AgreementSwitches';
import { DifficultyFilter } from './DifficultyFilter';
import { EmbeddingClusters } from './Embedding';
import './i18n-embed';

type Q = Recipe['quality'];
type D = Recipe['difficulty'];
type V = Recipe['diversity'];

/** Every knob of the recipe; each change goes straight to the live preview. */
export function Knobs({
  recipe,
  onChange,
  onReset,
  projectPath,
  labelJob,
  jobs,
  clusters,
}: {
  recipe: Recipe;
  onChange: (r: Recipe) => void;
  onReset: () => void;
  projectPath: string;
  labelJob: { done: number; total: number | null; status: string } | undefined;
  jobs: JobProgress[];
  clusters: { k: number; points: number; sizes: number[] } | null | undefined;
}) {
  const { t } = useTranslation();
  const teachers = useApiQuery(() => api.teacher.list.query(), [projectPath]);
  const taxonomies = useApiQuery(() => api.curate.taxonomies.query(), [projectPath]);
  const q = recipe.quality;
  const d = recipe.difficulty;
  const v = recipe.diversity;
  const setQ = (p: Partial<Q>) => onChange({ ...recipe, quality: { ...q, ...p } });
  const setD = (p: Partial<D>) => onChange({ ...recipe, difficulty: { ...d, ...p } });
  const setV = (p: Partial<V>) => onChange({ ...recipe, diversity: { ...v, ...p } });
  const setRule = (i: number, p: Partial<FormatRule>) => setQ({ formatRules: q.formatRules.map((r, j) => (j === i ? { ...r, ...p } : r)) });
  const tl = q.thinkingLength;
  const teacherNames = (teachers.data ?? []).map((x) => x.name);

  return (
    <div className="space-y-4" data-testid="knobs">
      <div className="grid grid-cols-2 gap-3">
        <Field label={t('curate.knobs.target')} htmlFor="cur-target">
          <NumberInput id="cur-target" value={recipe.target} min={1} max={1_000_000} onChange={(n) => n !== null && onChange({ ...recipe, target: n })} />
        </Field>
        <Field label={t('curate.knobs.seed')} htmlFor="cur-seed">
          <NumberInput id="cur-seed" value={recipe.seed} min={0} max={2 ** 32 - 1} onChange={(n) => n !== null && onChange({ ...recipe, seed: n })} />
        </Field>
      </div>
      <Field label={t('curate.knobs.name')} htmlFor="cur-name">
        <input id="cur-name" className={inputClass} value={recipe.name ?? ''} maxLength={200} onChange={(e) => onChange({ ...recipe, name: e.target.value || undefined })} />
      </Field>

      <Group id="cur-quality-on" title={t('curate.knobs.quality')} enabled={q.enabled} onEnabled={(enabled) => setQ({ enabled })} enabledLabel={t('curate.knobs.qualityOn')}>
        <Check id="cur-require-trace" checked={q.requireTrace} onChange={(requireTrace) => setQ({ requireTrace })}>
          {t('curate.knobs.dropFailed')}
        </Check>
        <Check id="cur-require-thinking" checked={q.requireThinking} onChange={(requireThinking) => setQ({ requireThinking })}>
          {t('curate.knobs.dropMissing')}
        </Check>
        <Check id="cur-unterminated" checked={q.dropUnterminated} onChange={(dropUnterminated) => setQ({ dropUnterminated })}>
          {t('curate.knobs.dropUnterminated')}
        </Check>
        <Check id="cur-extractable" checked={q.requireExtractableAnswer} onChange={(requireExtractableAnswer) => setQ({ requireExtractableAnswer })}>
          {t('curate.knobs.requireAnswer')}
        </Check>
        <Check id="cur-drop-wrong" checked={q.dropWrong} onChange={(dropWrong) => setQ({ dropWrong })}>
          {t('curate.knobs.dropWrong')}
          <span className="block text-xs text-slate-500 dark:text-slate-400">{t('curate.knobs.dropWrongHelp')}</span>
        </Check>
        <div className="grid grid-cols-2 gap-3">
          <Field label={t('curate.knobs.repetition')} htmlFor="cur-repetition">
            <NumberInput id="cur-repetition" value={q.maxRepetition} min={0} max={1} step={0.05} empty={null} placeholder={t('curate.knobs.noMax')} onChange={(maxRepetition) => setQ({ maxRepetition })} />
          </Field>
          <Field label={t('curate.knobs.repetitionN')} htmlFor="cur-repetition-n">
            <NumberInput id="cur-repetition-n" value={q.repetitionN} min={2} max={32} onChange={(n) => n !== null && setQ({ repetitionN: n })} />
          </Field>
          <Field label={t('curate.knobs.language')} htmlFor="cur-language">
            <select id="cur-language" className={inputClass} value={q.language} onChange={(e) => setQ({ language: e.target.value as Q['language'] })}>
              <option value="any">{t('curate.knobs.langAny')}</option>
              <option value="en">{t('curate.knobs.langEn')}</option>
              <option value="zh">{t('curate.knobs.langZh')}</option>
            </select>
          </Field>
          <Field label={t('curate.knobs.lengthUnit')} htmlFor="cur-length-unit">
            <select id="cur-length-unit" className={inputClass} value={tl.unit} onChange={(e) => setQ({ thinkingLength: { ...tl, unit: e.target.value as 'chars' | 'tokens' } })}>
              <option value="chars">{t('curate.knobs.unitChars')}</option>
              <option value="tokens">{t('curate.knobs.unitTokens')}</option>
            </select>
          </Field>
          <Field label={t('curate.knobs.minLength')} htmlFor="cur-min-length">
            <NumberInput id="cur-min-length" value={tl.min} min={0} empty={0} onChange={(n) => setQ({ thinkingLength: { ...tl, min: n ?? 0 } })} />
          </Field>
          <Field label={t('curate.knobs.maxLength')} htmlFor="cur-max-length">
            <NumberInput id="cur-max-length" value={tl.max} min={1} empty={null} placeholder={t('curate.knobs.noMax')} onChange={(max) => setQ({ thinkingLength: { ...tl, max } })} />
          </Field>
        </div>
        <div>
          <h4 className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-400">{t('curate.knobs.formatRules')}</h4>
          <ul className="space-y-2" data-testid="format-rules">
            {q.formatRules.map((r, i) => (
              <li key={i} className="rounded-md bg-slate-50 p-2 ring-1 ring-slate-200 dark:bg-slate-950 dark:ring-slate-800">
                <div className="flex items-center gap-2">
                  <input type="checkbox" checked={r.enabled} aria-label={t('curate.knobs.ruleEnabled', { name: r.name })} onChange={(e) => setRule(i, { enabled: e.target.checked })} className="h-4 w-4 accent-indigo-600" />
                  <input aria-label={t('curate.knobs.ruleName')} className={`${inputClass} !py-1 font-medium`} value={r.name} onChange={(e) => setRule(i, { name: e.target.value })} />
                  <select aria-label={t('curate.knobs.ruleField')} className={`${inputClass} !w-28 !py-1`} value={r.field} onChange={(e) => setRule(i, { field: e.target.value as FormatRule['field'] })}>
                    <option value="question">{t('curate.knobs.fieldQuestion')}</option>
                    <option value="thinking">{t('curate.knobs.fieldThinking')}</option>
                    <option value="answer">{t('curate.knobs.fieldAnswer')}</option>
                  </select>
                  <Button variant="ghost" className="!px-2" aria-label={t('curate.knobs.removeRule', { name: r.name })} onClick={() => setQ({ formatRules: q.formatRules.filter((_, j) => j !== i) })}>
                    ✕
                  </Button>
                </div>
                <div className="mt-1 flex gap-2">
                  <input aria-label={t('curate.knobs.rulePattern')} spellCheck={false} className={`${inputClass} !py-1 font-mono text-xs`} value={r.pattern} onChange={(e) => setRule(i, { pattern: e.target.value })} />
                  <input aria-label={t('curate.knobs.ruleFlags')} spellCheck={false} className={`${inputClass} !w-16 !py-1 font-mono text-xs`} value={r.flags} onChange={(e) => setRule(i, { flags: e.target.value })} />
                </div>
              </li>
            ))}
          </ul>
          <Button variant="ghost" className="mt-1" onClick={() => setQ({ formatRules: [...q.formatRules, { name: `rule_${q.formatRules.length + 1}`, pattern: 'TODO', flags: 'i', field: 'question', enabled: false }] })}>
            + {t('curate.knobs.addRule')}
          </Button>
        </div>
      </Group>

      <Group id="cur-difficulty-on" title={t('curate.knobs.difficulty')} enabled={d.enabled} onEnabled={(enabled) => setD({ enabled })} enabledLabel={t('curate.knobs.difficultyOn')}>
        {teacherNames.length === 0 ? (
          <p className="text-xs text-slate-500 dark:text-slate-400">{t('curate.knobs.noFilterModels')}</p>
        ) : (
          <fieldset>
            <legend className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-400">{t('curate.knobs.filterModels')}</legend>
            <div className="flex flex-wrap gap-x-4 gap-y-1">
              {teacherNames.map((n) => (
                <Check key={n} id={`cur-filter-${n}`} checked={d.filterModels.includes(n)} onChange={(on) => setD({ filterModels: on ? [...d.filterModels, n] : d.filterModels.filter((x) => x !== n) })}>
                  {n}
                </Check>
              ))}
            </div>
          </fieldset>
        )}
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
        {teacherNames.length > 0 && <DifficultyFilter recipe={recipe} jobs={jobs} />}
        <Field label={t('curate.knobs.studentDir')} htmlFor="cur-student">
          <FolderInput id="cur-student" value={recipe.studentDir ?? ''} nativePicker={false} onChange={(p) => onChange({ ...recipe, studentDir: p.trim() || null })} />
        </Field>
        <p className="text-xs text-slate-500 dark:text-slate-400">{t('curate.knobs.studentHelp')}</p>
      </Group>

      <Group id="cur-diversity-on" title={t('curate.knobs.diversity')} enabled={v.enabled} onEnabled={(enabled) => setV({ enabled })} enabledLabel={t('curate.knobs.diversityOn')}>
        <Field label={t('curate.knobs.domainSource')} htmlFor="cur-domains">
          <select id="cur-domains" className={inputClass} value={v.domains} onChange={(e) => setV({ domains: e.target.value as V['domains'] })}>
            <option value="auto">{t('curate.knobs.srcAuto')}</option>
            <option value="column">{t('curate.knobs.srcColumn')}</option>
            <option value="labels">{t('curate.knobs.srcLabels')}</option>
            <option value="clusters">{t('curateEmbed.srcClusters')}</option>
          </select>
        </Field>
        {v.domains === 'clusters' && <EmbeddingClusters value={v.clusters} onChange={(c) => setV({ clusters: c })} job={jobs.find((j) => j.kind === 'embed')} clusters={clusters} />}
        {(v.domains === 'labels' || v.domains === 'auto') && (
          <Field label={t('curate.knobs.taxonomy')} htmlFor="cur-taxonomy">
            <select id="cur-taxonomy" className={inputClass} value={v.taxonomy} onChange={(e) => setV({ taxonomy: e.target.value })}>
              {(taxonomies.data ?? [{ name: v.taxonomy, builtin: true, size: 0 }]).map((x) => (
                <option key={x.name} value={x.name}>
                  {x.name} ({x.size})
                </option>
              ))}
            </select>
          </Field>
        )}
        <div className="grid grid-cols-2 gap-3">
          <Field label={t('curate.knobs.weighting')} htmlFor="cur-weighting">
            <select id="cur-weighting" className={inputClass} value={v.weighting} onChange={(e) => setV({ weighting: e.target.value as V['weighting'] })}>
              <option value="uniform">{t('curate.knobs.uniform')}</option>
              <option value="size">{t('curate.knobs.size')}</option>
            </select>
          </Field>
          <Field label={t('curate.knobs.rankBy')} htmlFor="cur-rank">
            <select id="cur-rank" className={inputClass} value={v.rankBy} onChange={(e) => setV({ rankBy: e.target.value as V['rankBy'] })}>
              <option value="thinking_length">{t('curate.knobs.rankLength')}</option>
              <option value="random">{t('curate.knobs.rankRandom')}</option>
            </select>
          </Field>
        </div>
        {(v.domains === 'labels' || v.domains === 'auto') && <Labelling taxonomy={v.taxonomy} teachers={teacherNames} job={labelJob} />}
      </Group>

      <AgreementSwitches recipe={recipe} onChange={onChange} projectPath={projectPath} />

      <Button variant="ghost" onClick={onReset}>
        {t('curate.knobs.reset')}
      </Button>
    </div>
  );
}

/** Labels for the chosen taxonomy: from the imported column, or by a teacher (the durable label-domains job). */
function Labelling({ taxonomy, teachers, job }: { taxonomy: string; teachers: string[]; job: { done: number; total: number | null; status: string } | undefined }) {
  const { t } = useTranslation();
  const label = useApiMutation((teacher: string) => api.curate.label.mutate({ teacher, taxonomy }));
  const fromColumn = useApiMutation(() => api.curate.labelsFromColumn.mutate({ taxonomy }));
  const [started, setStarted] = useState<string | null>(null);
  const [teacher, setTeacher] = useState('');
  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-2 text-sm ring-1 ring-slate-200 dark:bg-slate-950 dark:ring-slate-800">
      {teachers.length > 0 && (
        <div className="flex items-end gap-2">
          <Field label={t('curate.knobs.labelTeacher')} htmlFor="cur-label-teacher">
            <select id="cur-label-teacher" className={inputClass} value={teacher || teachers[0]} onChange={(e) => setTeacher(e.target.value)}>
              {teachers.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </Field>
          <Button
            disabled={label.pending}
            onClick={() => void label.run(teacher || teachers[0]!).then((r) => r && setStarted(t('curate.knobs.labelStarted', { id: r.jobId })))}
          >
            {t('curate.knobs.labelStart')}
          </Button>
        </div>
      )}
      <Button variant="ghost" disabled={fromColumn.pending} onClick={() => void fromColumn.run().then((r) => r && setStarted(t('curate.knobs.fromColumnDone', { n: r.labelled })))}>
        {t('curate.knobs.fromColumn')}
      </Button>
      {job && job.status !== 'done' && <p className="text-xs text-slate-600 dark:text-slate-300">{t('curate.knobs.labelProgress', { done: job.done, total: job.total ?? "?" })}</p>}
      {started && <p className="text-xs text-emerald-700 dark:text-emerald-300">{started}</p>}
      <ErrorNote error={label.error ?? fromColumn.error} />
    </div>
  );
}
