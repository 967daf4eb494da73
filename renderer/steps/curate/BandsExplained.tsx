import { useTranslation } from 'react-i18next';
import type { Explanation } from './types';

/** In "Why?": where the question fell for each pass-rate band, the chain score and how many answers were kept. */
export function BandsExplained({ explanation }: { explanation: Explanation }) {
  const { t } = useTranslation();
  const bands = explanation.bands ?? [];
  const detail = explanation.decision?.detail ?? {};
  const traces = Array.isArray(detail.traces) ? detail.traces.length : 0;
  const chain = detail.chain as { score: number; words: number; verify: number; explore: number } | undefined;
  if (!bands.length && traces <= 1 && !chain) return null;
  return (
    <div className="mt-2 space-y-1 text-xs" data-testid="explain-bands">
      {bands.length > 0 && (
        <>
          <h4 className="font-medium text-slate-600 dark:text-slate-400">{t('curatePresets.explain.bands')}</h4>
          <ul className="space-y-0.5">
            {bands.map((b) => {
              const where = b.inBand === null ? t('curatePresets.explain.unjudged') : b.inBand ? t('curatePresets.explain.inside') : t('curatePresets.explain.outside');
              return (
                <li key={b.name} data-testid="explain-band" className={b.inBand === false ? 'text-rose-700 dark:text-rose-300' : 'text-slate-700 dark:text-slate-300'}>
                  {t('curatePresets.explain.band', { name: b.name, model: b.model, solved: b.solved, attempts: b.attempts, min: b.min, max: b.max, k: b.k, where })}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {chain && <p className="text-slate-700 dark:text-slate-300">{t('curatePresets.explain.chain', chain)}</p>}
      {traces > 1 && <p className="text-slate-700 dark:text-slate-300">{t('curatePresets.explain.traces', { n: traces })}</p>}
    </div>
  );
}
