import type { TFunction } from 'i18next';
import type { Recipe } from './types';

const S = 'curatePresets.summary';

/** One or two plain sentences that say what a stage of the recipe does, as a domain expert would put it. */
export function stageSummary(t: TFunction, recipe: Recipe, stage: 'quality' | 'difficulty' | 'diversity', lang: string): string {
  const fmt = (n: number) => n.toLocaleString(lang);
  if (stage === 'quality') {
    const q = recipe.quality;
    if (!q.enabled) return t(`${S}.qualityOff`);
    const parts = [t(`${S}.quality`)];
    if (q.dropWrong) parts.push(t(`${S}.qualityRight`));
    const tl = q.thinkingLength;
    if (tl.min > 0 || tl.max !== null) {
      const unit = tl.unit === 'chars' ? t('curate.knobs.unitChars') : t('curate.knobs.unitTokens');
      parts.push(t(`${S}.qualityLength`, { min: fmt(tl.min), max: tl.max === null ? '∞' : fmt(tl.max), unit }));
    }
    return parts.join(' ');
  }
  if (stage === 'difficulty') {
    const d = recipe.difficulty;
    if (!d.enabled) return t(`${S}.difficultyOff`);
    const parts: string[] = [];
    if (d.filterModels.length) parts.push(t(`${S}.filter`, { models: d.filterModels.join(', '), n: d.solvedAtLeast }));
    for (const b of d.bands ?? []) {
      const p = { name: b.name, model: b.model, k: b.k, min: b.min, max: b.max };
      parts.push(b.role === 'student' ? t(`${S}.bandStudent`, p) : b.max === 0 ? t(`${S}.bandNever`, p) : t(`${S}.band`, p));
    }
    if (d.minThinkingTokens !== null) parts.push(t(`${S}.minTokens`, { n: fmt(d.minThinkingTokens) }));
    return parts.length ? parts.join(' ') : t(`${S}.difficultyNone`);
  }
  const v = recipe.diversity;
  const target = fmt(recipe.target);
  const chain = v.rankBy === 'chain_quality';
  const main = !v.enabled
    ? t(chain ? `${S}.diversityOffChain` : `${S}.diversityOff`, { target })
    : t(chain ? `${S}.diversityChain` : v.rankBy === 'random' ? `${S}.diversityRandom` : v.weighting === 'size' ? `${S}.diversitySize` : `${S}.diversity`, { target });
  return (recipe.tracesPerQuestion ?? 1) > 1 ? `${main} ${t(`${S}.traces`, { m: recipe.tracesPerQuestion })}` : main;
}
