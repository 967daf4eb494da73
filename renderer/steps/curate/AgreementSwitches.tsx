import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { Check } from './fields';
import type { Recipe } from './types';

/**
 * The teacher's agreement on pseudo-labels as a curation signal: drop teacher-unsure questions (quality rule
 * `teacher_unsure`) and rank hard-but-consistent questions first (diversity.preferConsistent). Both off by default.
 */
export function AgreementSwitches({ recipe, onChange, projectPath }: { recipe: Recipe; onChange: (r: Recipe) => void; projectPath: string }) {
  const { t } = useTranslation();
  const summary = useApiQuery(() => api.augment.pseudoSummary.query(), [projectPath]);
  const s = summary.data;
  return (
    <fieldset className="space-y-2 border-t border-slate-200 pt-4 dark:border-slate-800" data-testid="agreement-switches">
      <legend className="sr-only">{t('curateAgreement.title')}</legend>
      <h3 className="text-sm font-semibold text-slate-900 dark:text-slate-100">{t('curateAgreement.title')}</h3>
      <p className="text-xs text-slate-500 dark:text-slate-400">{t('curateAgreement.help')}</p>
      {s && <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="agreement-summary">{s.labelled > 0 ? t('curateAgreement.summary', { labelled: s.labelled, unsure: s.unsure }) : t('curateAgreement.none')}</p>}
      <Check id="cur-drop-unsure" checked={recipe.quality.dropTeacherUnsure} onChange={(dropTeacherUnsure) => onChange({ ...recipe, quality: { ...recipe.quality, dropTeacherUnsure } })}>
        {t('curateAgreement.dropUnsure')}
        <span className="block text-xs text-slate-500 dark:text-slate-400">{t('curateAgreement.dropUnsureHelp')}</span>
      </Check>
      <Check id="cur-prefer-consistent" checked={recipe.diversity.preferConsistent} onChange={(preferConsistent) => onChange({ ...recipe, diversity: { ...recipe.diversity, preferConsistent } })}>
        {t('curateAgreement.preferConsistent')}
        <span className="block text-xs text-slate-500 dark:text-slate-400">{t('curateAgreement.preferConsistentHelp')}</span>
      </Check>
    </fieldset>
  );
}
