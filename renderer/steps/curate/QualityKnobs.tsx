import { useEffect, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Button, Field, inputClass } from '../../app/ui';
import { Advanced, Check, Group, NumberInput } from './fields';
import { stageSummary } from './summaries';
import type { FormatRule, Recipe } from './types';

type Q = Recipe['quality'];

/** What is wrong with an enabled rule's pattern, in the user's language (null when it compiles or the rule is off); the engine refuses the same. */
function ruleProblem(t: TFunction, r: FormatRule): string | null {
  if (!r.enabled) return null;
  if (r.pattern === '') return t('curate.knobs.ruleEmpty', { name: r.name });
  try {
    new RegExp(r.pattern, r.flags);
    return null;
  } catch (e) {
    return t('curate.knobs.ruleInvalid', { name: r.name, error: (e as Error).message });
  }
}

/** The quality stage: plain checks first; repetition, n-grams and the formatting rules' patterns under Advanced. */
export function QualityKnobs({ recipe, onChange }: { recipe: Recipe; onChange: (r: Recipe) => void }) {
  const { t, i18n } = useTranslation();
  const q = recipe.quality;
  const setQ = (p: Partial<Q>) => onChange({ ...recipe, quality: { ...q, ...p } });
  const setRule = (i: number, p: Partial<FormatRule>) => setQ({ formatRules: q.formatRules.map((r, j) => (j === i ? { ...r, ...p } : r)) });
  const tl = q.thinkingLength;
  // The rule just added: its (empty) pattern box takes the focus when it mounts.
  const [added, setAdded] = useState<number | null>(null);
  const rulesRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (added !== null) rulesRef.current?.querySelectorAll<HTMLInputElement>('input[data-rule-pattern]')[added]?.focus();
  }, [added]);
  const addRule = () => {
    setAdded(q.formatRules.length);
    setQ({ formatRules: [...q.formatRules, { name: `rule_${q.formatRules.length + 1}`, pattern: '', flags: 'i', field: 'question', enabled: false }] });
  };
  return (
    <Group id="cur-quality-on" stage="quality" title={t('curate.knobs.quality')} enabled={q.enabled} onEnabled={(enabled) => setQ({ enabled })} enabledLabel={t('curate.knobs.qualityOn')} summary={stageSummary(t, recipe, 'quality', i18n.language)}>
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
      <Advanced stage="quality" label={t('curatePresets.advanced')}>
        <div className="grid grid-cols-2 gap-3">
          <Field label={t('curate.knobs.repetition')} htmlFor="cur-repetition">
            <NumberInput id="cur-repetition" value={q.maxRepetition} min={0} max={1} step={0.05} empty={null} placeholder={t('curate.knobs.noMax')} onChange={(maxRepetition) => setQ({ maxRepetition })} />
          </Field>
          <Field label={t('curate.knobs.repetitionN')} htmlFor="cur-repetition-n">
            <NumberInput id="cur-repetition-n" value={q.repetitionN} min={2} max={32} onChange={(n) => n !== null && setQ({ repetitionN: n })} />
          </Field>
        </div>
        <div>
          <h4 className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-400">{t('curate.knobs.formatRules')}</h4>
          <ul ref={rulesRef} className="space-y-2" data-testid="format-rules">
            {q.formatRules.map((r, i) => {
              const problem = ruleProblem(t, r);
              return (
              <li key={i} className="rounded-md bg-slate-50 p-2 ring-1 ring-slate-200 dark:bg-slate-950 dark:ring-slate-800">
                <div className="flex items-center gap-2">
                  <input type="checkbox" checked={r.enabled} aria-label={t('curate.knobs.ruleEnabled', { name: r.name })} onChange={(e) => setRule(i, { enabled: e.target.checked })} className="h-4 w-4 accent-indigo-600" />
                  <input aria-label={t('curate.knobs.ruleName')} className={`${inputClass} !py-1 font-medium`} value={r.name} onChange={(e) => setRule(i, { name: e.target.value })} />
                  <select aria-label={t('curate.knobs.ruleField')} className={`${inputClass} !w-28 !py-1`} value={r.field} onChange={(e) => setRule(i, { field: e.target.value as FormatRule['field'] })}>
                    <option value="question">{t('curate.knobs.fieldQuestion')}</option>
                    <option value="thinking">{t('curate.knobs.fieldThinking')}</option>
                    <option value="answer">{t('curate.knobs.fieldAnswer')}</option>
                  </select>
                  <Button variant="ghost" className="!px-2" aria-label={t('curate.knobs.removeRule', { name: r.name })} onClick={() => {
                      setAdded(null);
                      setQ({ formatRules: q.formatRules.filter((_, j) => j !== i) });
                    }}>
                    ✕
                  </Button>
                </div>
                <div className="mt-1 flex gap-2">
                  <input
                    aria-label={t('curate.knobs.rulePattern')}
                    aria-invalid={problem !== null}
                    aria-describedby={problem ? `cur-rule-problem-${i}` : undefined}
                    data-rule-pattern
                    placeholder={t('curate.knobs.rulePatternPlaceholder')}
                    spellCheck={false}
                    className={`${inputClass} !py-1 font-mono text-xs`}
                    value={r.pattern}
                    onChange={(e) => setRule(i, { pattern: e.target.value })}
                  />
                  <input aria-label={t('curate.knobs.ruleFlags')} spellCheck={false} className={`${inputClass} !w-16 !py-1 font-mono text-xs`} value={r.flags} onChange={(e) => setRule(i, { flags: e.target.value })} />
                </div>
                {i === added && !problem && <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{t('curate.knobs.ruleHint')}</p>}
                {problem && (
                  <p id={`cur-rule-problem-${i}`} role="alert" className="mt-1 text-xs text-rose-700 dark:text-rose-300">
                    {problem}
                  </p>
                )}
              </li>
              );
            })}
          </ul>
          <Button variant="ghost" className="mt-1" onClick={addRule}>
            + {t('curate.knobs.addRule')}
          </Button>
        </div>
      </Advanced>
    </Group>
  );
}
