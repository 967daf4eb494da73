import fs from 'node:fs';
import { JobRunner } from '../../core/jobs';
import { openProject, withFullSync } from '../../core/store/project';
import { RUBRIC_KIND, rubricJudgeKind } from '../../core/verify/rubric-job';
import { calibration, listRubrics, markTrace, rubricVerdicts, saveRubric } from '../../core/verify/rubrics';
import { intFlag, parse } from '../args';
import { UsageError, type CliIO } from '../io';

const USAGE = 'rubric set|list|judge|mark|calibration PROJECT (see "distillery --help")';

/**
 * `rubric set PROJECT --name N --file rubric.json` · `rubric list PROJECT` · `rubric judge PROJECT --name N --judge T [--limit N] [--all]`
 * · `rubric mark PROJECT --name N --trace ID --pass|--fail|--clear` · `rubric calibration PROJECT --name N` (all with [--json]).
 */
export async function runRubric(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || !['set', 'list', 'judge', 'mark', 'calibration'].includes(sub)) throw new UsageError(`rubric: usage: ${USAGE}.`);
  const cmd = `rubric ${sub}`;
  const { values, positionals } = parse(
    cmd,
    rest,
    {
      name: { type: 'string' }, file: { type: 'string' }, judge: { type: 'string' }, limit: { type: 'string' }, all: { type: 'boolean' },
      trace: { type: 'string' }, pass: { type: 'boolean' }, fail: { type: 'boolean' }, clear: { type: 'boolean' }, json: { type: 'boolean' },
    },
    ['PROJECT'],
  );
  const name = values.name;
  if (sub !== 'list' && !name) throw new UsageError(`${cmd}: --name RUBRIC is required.`);
  const json = Boolean(values.json);
  const out = (o: unknown, text: string) => io.stdout(json ? JSON.stringify(o) : text);
  let body: unknown;
  if (sub === 'set') {
    const file = values.file;
    if (!file) throw new UsageError('rubric set: --file RUBRIC.json is required ({"criteria": [{"name", "description", "weight"}], "threshold": 0.7}).');
    try {
      body = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`rubric set: ${file} could not be read as JSON (${(e as Error).message.split('\n')[0]}); fix the file.`);
    }
  }
  const project = openProject(positionals[0] as string);
  const runner = new JobRunner(project).register(rubricJudgeKind);
  try {
    switch (sub) {
      case 'set': {
        const r = withFullSync(project.db, () => saveRubric(project.db, name as string, body as Parameters<typeof saveRubric>[2]));
        out(r, `Rubric "${r.name}" saved: ${r.criteria.map((c) => `${c.name} ×${c.weight}`).join(', ')}; pass at ${Math.round(r.threshold * 100)}%.`);
        return 0;
      }
      case 'list': {
        const rs = listRubrics(project.db);
        out(rs, rs.length ? rs.map((r) => `${r.name}: ${r.criteria.length} criteria, pass at ${Math.round(r.threshold * 100)}%`).join('\n') : 'No rubric yet.');
        return 0;
      }
      case 'judge': {
        const judge = values.judge;
        if (!judge) throw new UsageError('rubric judge: --judge TEACHER is required.');
        const limit = intFlag(cmd, 'limit', values.limit, 1, 1_000_000);
        const id = runner.start(RUBRIC_KIND, { rubric: name, judge, limit, scope: values.all ? 'all' : 'unchecked' });
        const job = await runner.wait(id);
        const v = rubricVerdicts(project.db, name as string, { judge, limit: 500 });
        const passed = v.rows.filter((r) => r.passed === true).length;
        out({ job: id, status: job.status, judged: job.done, undecided: job.failed, verdicts: v.total, passed }, `Job ${id} ${job.status}: ${job.done} judged, ${job.failed} undecided; ${passed} of ${v.total} verdicts pass.`);
        return job.status === 'done' ? 0 : 1;
      }
      case 'mark': {
        const trace = intFlag(cmd, 'trace', values.trace, 1, Number.MAX_SAFE_INTEGER);
        const choice = [values.pass, values.fail, values.clear].filter(Boolean).length;
        if (trace === undefined || choice !== 1) throw new UsageError('rubric mark: give --trace ID and one of --pass, --fail or --clear.');
        const passed = values.clear ? null : Boolean(values.pass);
        withFullSync(project.db, () => markTrace(project.db, name as string, trace, passed));
        out({ trace, passed }, `Trace ${trace}: ${passed === null ? 'mark cleared' : passed ? 'marked pass' : 'marked fail'}.`);
        return 0;
      }
      default: {
        const c = calibration(project.db, name as string);
        const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
        const lines = [`${c.marks} verdicts marked by hand (at least ${c.minMarks} before the judge is trusted).`];
        for (const j of c.judges) {
          lines.push(`  ${j.judge}: agreement ${pct(j.accuracy)} on ${j.n}, kappa ${j.kappa === null ? '–' : j.kappa.toFixed(2)}${j.warning === 'too_few_marks' ? '  (too few marks)' : j.warning === 'low_agreement' ? `  (below ${pct(c.minAgreement)}: do not trust it on the pool yet)` : '  (trusted)'}`);
        }
        for (const p of c.pairs) lines.push(`  ${p.a} vs ${p.b}: agreement ${pct(p.accuracy)} on ${p.n}, kappa ${p.kappa === null ? '–' : p.kappa.toFixed(2)}`);
        out(c, lines.join('\n'));
        return 0;
      }
    }
  } finally {
    await runner.close();
    project.close();
  }
}
