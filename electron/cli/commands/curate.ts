import { parseRecipe, PRESET_IDS } from '../../core/curate/recipe';
import { isPreset, presetRecipe } from '../../core/curate/presets';
import { explainLines } from './curate-explain';
import { explain, freezeRun, runAndStore } from '../../core/curate/runs';
import { openProject } from '../../core/store/project';
import { intFlag, parse } from '../args';
import { UsageError, type CliIO } from '../io';

/**
 * `distillery curate PROJECT [--preset s1|limo|light-r1 [--models A,B]] [--target N] [--seed S] [--recipe FILE.json] [--json]`:
 * runs and stores a curation (a recipe file is laid over the preset).
 * `distillery curate PROJECT --explain QUESTION_ID [--json]`; `distillery curate PROJECT --freeze [RUN_ID]`.
 */
export async function runCurate(args: string[], io: CliIO): Promise<number> {
  // --freeze takes an optional run number: accept "--freeze 3" and "--freeze=3".
  const argv = [...args];
  let freeze: string | null = null;
  const fi = argv.findIndex((a) => a === '--freeze' || a.startsWith('--freeze='));
  if (fi >= 0) {
    const a = argv[fi] as string;
    if (a.includes('=')) freeze = a.slice('--freeze='.length);
    else if (argv[fi + 1] !== undefined && /^\d+$/.test(argv[fi + 1] as string) && fi + 1 !== 0) {
      freeze = argv[fi + 1] as string;
      argv.splice(fi + 1, 1);
    } else freeze = '';
    argv.splice(fi, 1);
  }
  const { values, positionals } = parse(
    'curate',
    argv,
    { target: { type: 'string' }, seed: { type: 'string' }, recipe: { type: 'string' }, explain: { type: 'string' }, json: { type: 'boolean' }, preset: { type: 'string' }, models: { type: 'string' } },
    ['PROJECT'],
  );
  const target = intFlag('curate', 'target', values.target, 1, 1_000_000);
  const seed = intFlag('curate', 'seed', values.seed, 0, 2 ** 32 - 1);
  const explainId = intFlag('curate', 'explain', values.explain, 1, Number.MAX_SAFE_INTEGER);
  const freezeId = freeze ? intFlag('curate', 'freeze', freeze, 1, Number.MAX_SAFE_INTEGER) : undefined;
  let raw: Record<string, unknown> = {};
  if (values.recipe) {
    const file = values.recipe;
    let text: string;
    try {
      text = await io.readFile(file);
    } catch (e) {
      throw new UsageError(`curate: cannot read the recipe ${file}: ${(e as Error).message}.`);
    }
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`curate: the recipe ${file} is not valid JSON (${(e as Error).message}).`);
    }
  }
  const preset = values.preset;
  if (preset !== undefined && !isPreset(preset)) throw new UsageError(`curate: --preset must be one of ${PRESET_IDS.join(', ')} (got "${preset}").`);
  const models = (values.models ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  if ((preset === 'limo' || preset === 'light-r1') && models.length === 0) {
    throw new UsageError(`curate: the ${preset} preset judges difficulty with stored samples of registered teachers; name them with --models ${preset === 'limo' ? 'WEAK,STRONG' : 'MODEL'}.`);
  }
  if (target !== undefined) raw.target = target;
  if (seed !== undefined) raw.seed = seed;
  const parsed = (() => {
    try {
      return preset ? presetRecipe(preset, models, raw) : parseRecipe(raw);
    } catch (e) {
      const issue = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
      throw new UsageError(`curate: the recipe setting "${issue?.path.map(String).join('.') ?? '?'}" is invalid: ${issue?.message ?? (e as Error).message}.`);
    }
  })();
  const p = openProject(positionals[0] as string);
  try {
    if (explainId !== undefined) {
      const x = explain(p, explainId);
      if (values.json) io.stdout(JSON.stringify(x));
      else for (const line of explainLines(x)) io.stdout(line);
      return 0;
    }
    if (freeze !== null) {
      const f = freezeRun(p, freezeId);
      if (values.json) io.stdout(JSON.stringify(f));
      else io.stdout(`Froze run ${f.runId}: ${f.frozen} questions (${f.pinned} pinned) are now the selection for review.`);
      return 0;
    }
    const { runId, result } = runAndStore(p, parsed);
    if (values.json) {
      io.stdout(JSON.stringify({ run: runId, funnel: result.funnel, selected: result.selected, traces: result.traces, preset: parsed.preset ?? null, domains: result.domains.after, selection: result.selection, notes: result.notes }));
    } else {
      io.stdout(`Curation run ${runId}: ${result.funnel.map((s) => `${s.stage} ${s.in}→${s.out}`).join(', ')}; ${result.selected} selected over ${Object.keys(result.domains.after).length} domains${result.traces > result.selected ? `, ${result.traces} verified traces kept` : ''}.`);
      for (const n of result.notes) io.stdout(`note: ${n}`);
      io.stdout(`Freeze it for review with "distillery curate ${positionals[0] as string} --freeze ${runId}".`);
    }
  } finally {
    p.close();
  }
  return 0;
}
