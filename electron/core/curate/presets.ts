import { parseRecipe, PRESET_IDS, type PresetId, type Recipe, type RecipeInput } from './recipe';

/**
 * Curation presets that reproduce published selection recipes. Each is an ordinary recipe (every knob stays
 * editable); `models` are the registered teachers whose stored, checked samples judge difficulty:
 * - s1: the filter models (a question any of them solves is dropped).
 * - LIMO: [weak, strong] (one model: both).
 * - Light-R1: [chosen].
 */
export interface PresetInfo {
  id: PresetId;
  title: string;
  /** One plain sentence per stage, as the UI and `--explain` word them. */
  summary: string;
  models: string;
}

export const PRESETS: readonly PresetInfo[] = [
  {
    id: 's1',
    title: 's1 (1,000 samples)',
    summary: 'Quality checks, then drop what a filter model solves, then pick across domains, longer thinking first.',
    models: 'filter models (any number)',
  },
  {
    id: 'limo',
    title: 'LIMO (817 samples)',
    summary: 'Drop what a weak model solves in any of 4 tries; keep what a strong model solves only 1–3 of 8 times; then the best reasoning chains first.',
    models: 'a weak model, then a strong model',
  },
  {
    id: 'light-r1',
    title: 'Light-R1 / OpenThoughts',
    summary: 'Keep what the chosen model solves at most 4 of 8 times, drop very short or very long thinking, keep up to 4 verified answers per question.',
    models: 'the chosen model',
  },
];

export function isPreset(id: string): id is PresetId {
  return (PRESET_IDS as readonly string[]).includes(id);
}

/** The recipe input of a preset for the given models (nothing else set: every other knob keeps its default). */
export function presetInput(id: PresetId, models: readonly string[]): RecipeInput {
  const [first, second] = models;
  switch (id) {
    case 's1':
      return { preset: 's1', target: 1000, difficulty: { filterModels: [...models], solvedAtLeast: 1 } };
    case 'limo': {
      const weak = first;
      const strong = second ?? first;
      return {
        preset: 'limo',
        target: 817,
        difficulty: {
          filterModels: [],
          bands: [
            ...(weak ? [{ name: 'weak', model: weak, role: 'filter' as const, k: 4, min: 0, max: 0 }] : []),
            ...(strong ? [{ name: 'strong', model: strong, role: 'filter' as const, k: 8, min: 1, max: 3 }] : []),
          ],
        },
        diversity: { enabled: false, rankBy: 'chain_quality' },
      };
    }
    case 'light-r1':
      return {
        preset: 'light-r1',
        target: 1000,
        tracesPerQuestion: 4,
        quality: { dropWrong: true, thinkingLength: { unit: 'tokens', min: 256, max: 16384 } },
        difficulty: { filterModels: [], bands: first ? [{ name: 'chosen', model: first, role: 'filter', k: 8, min: 0, max: 4 }] : [] },
        diversity: { rankBy: 'thinking_length' },
      };
  }
}

/**
 * A preset's recipe with the user's own settings laid over it (`over`: a recipe file, `--target`, `--seed`).
 * Nested sections are merged one level deep, so `{"quality": {"language": "en"}}` keeps the preset's other
 * quality knobs.
 */
export function presetRecipe(id: PresetId, models: readonly string[], over: Record<string, unknown> = {}): Recipe {
  const base = presetInput(id, models) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    merged[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' ? { ...(b), ...(v) } : v;
  }
  return parseRecipe(merged);
}
