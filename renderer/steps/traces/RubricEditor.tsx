import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { action, useApiMutation } from '../../api/hooks';
import { Button, ErrorNote, Field, inputClass } from '../../app/ui';

export interface CriterionDraft {
  name: string;
  description: string;
  weight: number;
}
export interface RubricDraft {
  name: string;
  criteria: CriterionDraft[];
  threshold: number;
}

/** Edits one rubric: criteria in the user's words with weights, and the pass threshold. */
export function RubricEditor({ initial, onSaved }: { initial: RubricDraft; onSaved: (name: string) => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState<RubricDraft>(initial);
  const [saved, setSaved] = useState(false);
  useEffect(() => setD(initial), [initial]);
  const save = useApiMutation(() => api.verification.rubric.save.mutate(d));
  const set = (i: number, patch: Partial<CriterionDraft>) => setD((x) => ({ ...x, criteria: x.criteria.map((c, k) => (k === i ? { ...c, ...patch } : c)) }));
  return (
    <div className="space-y-3" data-testid="rubric-editor">
      <div className="grid gap-3 md:grid-cols-3">
        <Field label={t('rubric.name')} htmlFor="rubric-name">
          <input id="rubric-name" className={inputClass} value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} />
        </Field>
        <Field label={t('rubric.threshold')} htmlFor="rubric-threshold">
          <input id="rubric-threshold" type="number" min={0} max={1} step={0.05} className={inputClass} value={d.threshold} onChange={(e) => setD({ ...d, threshold: Math.max(0, Math.min(1, Number(e.target.value) || 0)) })} />
        </Field>
      </div>
      {d.criteria.map((c, i) => (
        <div key={i} className="grid gap-2 md:grid-cols-[1fr_2fr_6rem_auto]">
          <input aria-label={`${t('rubric.criterion')} ${i + 1}`} className={inputClass} placeholder={t('rubric.criterion')} value={c.name} onChange={(e) => set(i, { name: e.target.value })} />
          <input aria-label={`${t('rubric.description')} ${i + 1}`} className={inputClass} placeholder={t('rubric.description')} value={c.description} onChange={(e) => set(i, { description: e.target.value })} />
          <input aria-label={`${t('rubric.weight')} ${i + 1}`} type="number" min={0.1} step={0.5} className={inputClass} value={c.weight} onChange={(e) => set(i, { weight: Number(e.target.value) || 1 })} />
          <Button className="!px-2 !py-1 text-xs" aria-label={t('rubric.removeCriterion', { n: i + 1 })} disabled={d.criteria.length === 1} onClick={() => setD({ ...d, criteria: d.criteria.filter((_, k) => k !== i) })}>
            ×
          </Button>
        </div>
      ))}
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={() => setD({ ...d, criteria: [...d.criteria, { name: '', description: '', weight: 1 }] })}>{t('rubric.addCriterion')}</Button>
        <Button
          variant="primary"
          disabled={save.pending || !d.name.trim()}
          onClick={action(async () => {
            const r = await save.run();
            if (r) {
              setSaved(true);
              onSaved(r.name);
            }
          })}
        >
          {t('rubric.save')}
        </Button>
        {saved && !save.error && <span className="text-sm text-emerald-700 dark:text-emerald-300">{t('rubric.saved')}</span>}
      </div>
      <ErrorNote error={save.error} />
    </div>
  );
}
