/**
 * The run report: JSON (everything the Evaluate step shows) and one self-contained HTML file — inline CSS,
 * an inline SVG test-time scaling plot per benchmark, a table per benchmark, the latency table and every
 * question with its full traces in <details>. All text from models and files is HTML-escaped; the file
 * loads nothing from anywhere.
 */
import path from 'node:path';
import type { JobRunner } from '../jobs';
import type { Project } from '../store/project';
import { appVersion } from '../util/root';
import { allComparisons, comparisonSentence } from './compare';
import { readPins, type Pins } from './pins';
import { lightResults, questionRows } from './score';
import { runDetail, requireRun } from './runs';
import { parseConfig, updateEvalRun } from './store';
import type { Cell, Comparison, Interval, LatencyRow, QuestionRow, RunDetail, ScalingSeries } from './types';
import { mkdirPrivate, writePrivateFile } from '../util/private-fs';

export interface ReportJson {
  format: 'distillery-eval-report';
  version: 2;
  app: string;
  generatedAt: string;
  project: string;
  run: RunDetail['run'];
  config: RunDetail['config'];
  cells: Cell[];
  latency: LatencyRow[];
  scaling: ScalingSeries[];
  /** Every pair of models on the same questions (A − B, paired bootstrap; compare.ts). */
  comparisons: Comparison[];
  /** What changes a number (pins.ts), as pinned when the run was created; null for a run made before pins existed. */
  pins: Pins | null;
  questions: QuestionRow[];
}

export function buildReport(project: Project, runner: JobRunner, runId: string): ReportJson {
  const d = runDetail(project, runner, runId);
  const config = parseConfig(requireRun(project, runId));
  const questions = questionRows(project.db, config, { runId, offset: 0, limit: Number.MAX_SAFE_INTEGER }).rows;
  return {
    format: 'distillery-eval-report',
    version: 2,
    app: `Distillery ${appVersion()}`,
    generatedAt: new Date().toISOString(),
    project: project.name,
    run: d.run,
    config: d.config,
    cells: d.cells,
    latency: d.latency,
    scaling: d.scaling,
    comparisons: allComparisons(config, lightResults(project.db, runId)),
    pins: readPins(project, runId),
    questions,
  };
}

/** Escapes text for HTML element content and attribute values. */
export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null, d = 0) => (x === null ? '–' : x.toFixed(d));
const ci = (c: Interval | null) => (c ? `${(c[0] * 100).toFixed(1)}–${(c[1] * 100).toFixed(1)}%` : '–');
const withCi = (x: number | null, c: Interval | null) => `${pct(x)}${c ? ` <span class="muted">[${ci(c)}]</span>` : ''}`;
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

/** Accuracy (y, 0–100 %) against average thinking tokens (x): one line per model. */
export function scalingSvg(series: readonly ScalingSeries[], models: readonly string[], title: string): string {
  const W = 640;
  const H = 360;
  const m = { l: 56, r: 16, t: 28, b: 48 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const xs = series.flatMap((s) => s.points.map((p) => p.avgThinkingTokens));
  const xMax = niceMax(Math.max(1, ...xs));
  const x = (v: number) => m.l + (v / xMax) * pw;
  const y = (a: number) => m.t + (1 - a) * ph;
  const parts: string[] = [];
  parts.push(`<svg class="plot" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`);
  parts.push(`<text x="${W / 2}" y="16" text-anchor="middle" class="t">${esc(title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const a = i / 5;
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y(a)}" y2="${y(a)}" class="grid"/><text x="${m.l - 6}" y="${y(a) + 4}" text-anchor="end">${Math.round(a * 100)}%</text>`);
    const v = (xMax * i) / 5;
    parts.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${m.t}" y2="${m.t + ph}" class="grid"/><text x="${x(v)}" y="${m.t + ph + 16}" text-anchor="middle">${Math.round(v)}</text>`);
  }
  parts.push(`<text x="${m.l + pw / 2}" y="${H - 8}" text-anchor="middle">average thinking tokens</text>`);
  parts.push(`<text transform="translate(14 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">accuracy</text>`);
  models.forEach((model, i) => {
    const s = series.find((z) => z.model === model);
    if (!s || !s.points.length) return;
    const c = COLORS[i % COLORS.length];
    const pts = s.points.map((p) => `${x(p.avgThinkingTokens).toFixed(1)},${y(p.accuracy).toFixed(1)}`).join(' ');
    parts.push(`<polyline class="series" data-model="${esc(model)}" fill="none" stroke="${c}" stroke-width="2" points="${pts}"/>`);
    for (const p of s.points) {
      // The 95 % interval as a whisker with caps.
      if (p.ci) {
        const px = x(p.avgThinkingTokens).toFixed(1);
        const [y1, y2] = [y(p.ci[0]).toFixed(1), y(p.ci[1]).toFixed(1)];
        parts.push(
          `<path class="ci" data-model="${esc(model)}" stroke="${c}" stroke-width="1.5" fill="none" d="M${px} ${y1}V${y2}M${(+px - 4).toFixed(1)} ${y1}h8M${(+px - 4).toFixed(1)} ${y2}h8"/>`,
        );
      }
      parts.push(
        `<circle cx="${x(p.avgThinkingTokens).toFixed(1)}" cy="${y(p.accuracy).toFixed(1)}" r="4" fill="${c}"><title>${esc(model)} · max ${p.maxThinking} tokens${p.waits ? `, ${p.waits} Wait` : ''}: ${pct(p.accuracy)}${p.ci ? ` (95% ${ci(p.ci)})` : ''} at ${Math.round(p.avgThinkingTokens)} tokens</title></circle>`,
      );
    }
    parts.push(`<rect x="${m.l + 8}" y="${m.t + 6 + i * 16}" width="10" height="10" fill="${c}"/><text x="${m.l + 22}" y="${m.t + 15 + i * 16}">${esc(model)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const k of [1, 2, 2.5, 5, 10]) if (k * p >= v) return k * p;
  return 10 * p;
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans SC",sans-serif;margin:24px auto;max-width:1100px;color:#111;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}th{background:#f5f5f5}td.l,th.l{text-align:left}
.plot text{font-size:11px;fill:#333}.plot .t{font-size:13px;font-weight:600}.plot .grid{stroke:#eee}
details{border:1px solid #e5e5e5;border-radius:6px;margin:6px 0;padding:4px 8px}summary{cursor:pointer}
pre{white-space:pre-wrap;word-break:break-word;background:#fafafa;border:1px solid #eee;padding:8px;max-height:480px;overflow:auto}
.ok{color:#15803d}.bad{color:#b91c1c}.muted{color:#666}.mono{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
tr.sig td{background:#f0fdf4}`;

function cellTable(cells: readonly Cell[]): string {
  const repeats = cells.some((c) => c.repeats > 1);
  const rows = cells
    .map(
      (c) =>
        `<tr><td class="l">${esc(c.model)}</td><td>${c.maxThinking}</td><td>${c.minThinking}</td><td>${c.waits}</td><td>${c.n}</td><td>${c.samples}</td><td>${withCi(c.accuracy, c.accuracyCi)}</td>${repeats ? `<td>${c.accuracyByRepeat.map((a) => pct(a)).join(' · ')}</td>` : ''}<td>${withCi(c.majority, c.majorityCi)}</td><td class="l">${c.passAtK.map((p) => `pass@${p.k} ${withCi(p.value, p.ci)}`).join('<br>') || '–'}</td><td>${num(c.avgThinkingTokens)}</td><td>${num(c.avgAnswerTokens)}</td><td>${num(c.avgWaits, 2)}</td><td>${pct(c.hitBudget)}</td><td>${c.failed}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th class="l">model</th><th>max thinking</th><th>min thinking</th><th>Waits (K)</th><th>questions</th><th>samples</th><th>accuracy (pass@1) [95% interval]</th>${repeats ? '<th>pass@1 per repeat</th>' : ''}<th>majority vote [95%]</th><th class="l">pass@k [95%]</th><th>avg thinking tokens</th><th>avg answer tokens</th><th>avg Waits</th><th>hit budget</th><th>failed</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function comparisonTable(cs: readonly Comparison[]): string {
  if (!cs.length) return '';
  const rows = cs
    .map(
      (c) =>
        `<tr class="${c.significant ? 'sig' : 'nosig'}"><td class="l">${esc(c.a)} − ${esc(c.b)}</td><td>${c.maxThinking}</td><td>${c.n}</td><td>${pct(c.accuracyA)}</td><td>${pct(c.accuracyB)}</td><td>${(c.diff * 100).toFixed(1)}</td><td>${(c.ci[0] * 100).toFixed(1)} to ${(c.ci[1] * 100).toFixed(1)}</td><td class="l">${esc(comparisonSentence(c))}</td></tr>`,
    )
    .join('');
  return `<h3>Paired comparisons (same questions; paired bootstrap over questions)</h3><table class="cmp"><thead><tr><th class="l">A − B</th><th>max thinking</th><th>questions</th><th>A</th><th>B</th><th>difference (points)</th><th>95% interval</th><th class="l">in words</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** What the numbers depend on, so that a reader can make them again. */
function pinsSection(p: Pins | null): string {
  if (!p) return '<h2>Pinned settings</h2><p class="muted">This run was made before settings were pinned.</p>';
  const kv = (k: string, v: string) => `<tr><th class="l">${esc(k)}</th><td class="l mono">${esc(v)}</td></tr>`;
  const rows = [
    kv('answer checker', `version ${p.checker.version}; relative tolerance ${p.checker.rules.relativeTolerance}, exact ${p.checker.rules.exactTolerance}; ${p.checker.rules.extraction}`),
    kv('judge', p.checker.judge ? `${p.checker.judge.teacher} (${p.checker.judge.model}), prompt sha256 ${p.checker.judge.promptSha256}` : 'none (rules only)'),
    kv('prompt', `sha256 ${p.prompt.sha256}; system prompt ${p.prompt.systemPromptSha256 ?? 'none'}; wait word "${p.prompt.waitWord}"; cue "${p.prompt.finalCue}"`),
    ...p.questions.map((q) => kv(`questions ${q.benchmark}`, `${q.count} questions, sha256 ${q.sha256}`)),
    kv('budgets', p.budgets.map((b) => `max ${b.maxThinking}/min ${b.minThinking}/Waits ${b.waits}`).join('; ')),
    kv('seeds', `run ${p.seeds.run}; repeats ${p.seeds.repeats.join(', ')} (+ sample index)`),
    kv('sampling', `temperature ${p.sampling.temperature}; k ${p.sampling.samples}; repeats ${p.sampling.repeats}; max answer tokens ${p.sampling.maxAnswerTokens}; question limit ${p.sampling.limit ?? 'none'}`),
    ...p.models.map((m) =>
      kv(`model ${m.label}`, `${m.kind}${m.servedModel ? ` serving ${m.servedModel}` : ''}; chat template sha256 ${m.chatTemplateSha256 ?? 'none'}; ${m.files.map((f) => `${f.file} (${f.bytes} bytes) ${f.sha256}`).join('; ') || 'no files on this machine'}`),
    ),
  ];
  return `<h2>Pinned settings</h2><table class="pins"><tbody>${rows.join('')}</tbody></table>`;
}

function latencyTable(rows: readonly LatencyRow[]): string {
  const body = rows
    .map((l) => `<tr><td class="l">${esc(l.model)}</td><td>${l.generations}</td><td>${num(l.ttftP50Ms)}</td><td>${num(l.ttftP95Ms)}</td><td>${num(l.tokensPerSecond, 1)}</td><td>${num(l.tokensPerSecondP50, 1)}</td></tr>`)
    .join('');
  return `<table><thead><tr><th class="l">model</th><th>generations</th><th>TTFT p50 (ms)</th><th>TTFT p95 (ms)</th><th>tokens/s (mean)</th><th>tokens/s (p50)</th></tr></thead><tbody>${body}</tbody></table>`;
}

function questionBlock(q: QuestionRow, budgetLabel: string): string {
  const mark = q.scored === 0 ? '<span class="muted">failed</span>' : q.correct === q.scored ? '<span class="ok">✓</span>' : q.correct === 0 ? '<span class="bad">✗</span>' : `<span>${q.correct}/${q.scored}</span>`;
  const samples = q.samples
    .map(
      (s) =>
        `<details><summary>sample ${s.sample}: ${s.error ? `<span class="bad">error</span> ${esc(s.error)}` : `${s.correct === true ? '<span class="ok">correct</span>' : s.correct === false ? '<span class="bad">wrong</span>' : '<span class="muted">undecided</span>'} · extracted ${esc(s.extracted ?? '—')} · ${s.thinkingTokens} thinking tokens · ${s.waits} Wait · ${s.hitBudget ? 'hit budget' : 'closed'}`}</summary>
<p class="muted">${esc(s.method)}: ${esc(s.reason)}</p><h3>Thinking</h3><pre>${esc(s.thinking)}</pre><h3>Answer</h3><pre>${esc(s.answer)}</pre></details>`,
    )
    .join('');
  return `<details class="q"><summary>${mark} ${esc(q.model)} · ${esc(budgetLabel)} · #${esc(q.qid)} · reference ${esc(q.reference)} · majority ${esc(q.majorityAnswer ?? '—')}</summary>
<pre>${esc(q.question)}</pre>${samples}</details>`;
}

export function renderHtml(r: ReportJson): string {
  const title = `Evaluation ${r.run.name ?? r.run.id}`;
  const models = r.config.models.map((m) => m.label);
  const budgetLabel = (i: number) => {
    const b = r.config.budgets[i];
    return b ? `max ${b.maxThinking}${b.waits ? `, ${b.waits} Wait (min ${b.minThinking})` : b.minThinking ? `, min ${b.minThinking}` : ''}` : `budget ${i}`;
  };
  const sections = r.config.benchmarks.map((bench) => {
    const cells = r.cells.filter((c) => c.benchmark === bench);
    const series = r.scaling.filter((s) => s.benchmark === bench);
    const qs = r.questions.filter((q) => q.benchmark === bench);
    return `<section><h2>${esc(bench)}</h2>${scalingSvg(series, models, `${bench}: accuracy against average thinking tokens (whiskers: 95% interval)`)}${cellTable(cells)}${comparisonTable(r.comparisons.filter((c) => c.benchmark === bench))}
<details><summary>Per-question details (${qs.length})</summary>${qs.map((q) => questionBlock(q, budgetLabel(q.budget))).join('\n')}</details></section>`;
  });
  const modelRows = r.config.models
    .map((m) => `<tr><td class="l">${esc(m.label)}</td><td class="l">${esc(m.kind)}</td><td class="l">${esc(m.kind === 'endpoint' ? `teacher ${m.teacher}` : m.dir)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head>
<body><h1>${esc(title)}</h1>
<p class="muted">Project ${esc(r.project)} · ${esc(r.app)} · generated ${esc(r.generatedAt)} · status ${esc(r.run.status)} · ${r.run.done}/${r.run.total} generations · k = ${r.config.samples} · repeats ${r.config.repeats} · temperature ${r.config.temperature} · "${esc(r.config.waitWord)}"</p>
<p class="muted">Intervals are 95% percentile bootstraps (2,000 resamples, seeded from the run seed): pass@1 resamples questions, then samples within each question; majority vote questions, then repeats; pass@k (unbiased estimator) questions only.</p>
<table><thead><tr><th class="l">model</th><th class="l">kind</th><th class="l">source</th></tr></thead><tbody>${modelRows}</tbody></table>
<h2>Latency on this machine</h2>${latencyTable(r.latency)}
${sections.join('\n')}
${pinsSection(r.pins)}
</body></html>
`;
}

/** Writes the report to <project>/artifacts/eval/<runId>/report.{html,json}. */
export function exportReport(project: Project, runner: JobRunner, runId: string, format: 'html' | 'json', inline: boolean, out?: string) {
  const r = buildReport(project, runner, runId);
  const content = format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : renderHtml(r);
  const file = out ? path.resolve(out) : path.join(project.artifactsDir, 'eval', runId, `report.${format}`);
  mkdirPrivate(path.dirname(file));
  writePrivateFile(file, content);
  updateEvalRun(project.db, runId, format === 'json' ? { report_json: file } : { report_html: file });
  return { path: file, bytes: Buffer.byteLength(content), content: inline ? content : null };
}
