import { importFile, writeRejectReport } from '../../core/pool/importer';
import { checkFile, FORMATS, type Format } from '../../core/pool/readers';
import { parseMapSpec, SHAPES, type Shape } from '../../core/pool/shapes';
import { openProject } from '../../core/store/project';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

/** `distillery import PROJECT FILE [--format F] [--shape S] [--map question=COL,...] [--source NAME] [--report] [--dry-run] [--json]` */
export async function runImport(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    'import',
    args,
    {
      format: { type: 'string' },
      shape: { type: 'string' },
      map: { type: 'string' },
      source: { type: 'string' },
      report: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    ['PROJECT', 'FILE'],
  );
  const format = (values.format) ?? 'auto';
  if (format !== 'auto' && !FORMATS.includes(format as Format)) throw new UsageError(`import: --format must be auto, ${FORMATS.join(', ')}, not "${format}".`);
  const shape = (values.shape) ?? 'auto';
  if (shape !== 'auto' && !SHAPES.includes(shape as Shape)) throw new UsageError(`import: --shape must be auto, ${SHAPES.join(', ')}, not "${shape}".`);
  const mapping = values.map !== undefined ? parseMapSpec(values.map) : {};
  if (typeof mapping === 'string') throw new UsageError(`import: --map ${mapping} (example: --map question=problem,answer=final).`);
  const [dir, file] = positionals as [string, string];
  checkFile(file);
  const project = openProject(dir);
  try {
    const r = await importFile(project, file, {
      format: format as Format | 'auto',
      shape: shape as Shape | 'auto',
      mapping,
      source: values.source,
      dryRun: !!values['dry-run'],
    });
    const report = values.report && r.importId !== null && r.rejected.length + r.duplicates > 0 ? writeRejectReport(project, r.importId).path : null;
    if (values.json) {
      const out: Record<string, unknown> = {
        read: r.read,
        imported: r.imported,
        duplicates: r.duplicates,
        rejected: r.rejected.map((x) => ({ line: x.line, reason: x.reason })),
      };
      if (values.report) out.report = report;
      io.stdout(JSON.stringify(out));
    } else {
      const verb = values['dry-run'] ? 'would import' : 'imported';
      io.stdout(
        `${r.file} (${r.format}${r.compressed ? ', gzip' : ''}, shape ${r.shape}): read ${r.read}, ${verb} ${r.imported}, duplicates ${r.duplicates}, rejected ${r.rejected.length}` +
          (r.traces ? `; ${r.traces} existing traces` : ''),
      );
      io.stdout(`  mapping: ${Object.entries(r.mapping).map(([k, v]) => `${k}=${v}`).join(', ') || '(none)'}`);
      for (const x of r.rejected.slice(0, 20)) io.stdout(`  line ${x.line}: ${x.reason}`);
      if (r.rejected.length > 20) io.stdout(`  ... and ${r.rejected.length - 20} more rejected rows${report ? '' : ' (use --report to save them all)'}`);
      if (report) io.stdout(`  report: ${report}`);
    }
  } finally {
    project.close();
  }
  return 0;
}
