import { openProject, createProject } from '../../core/store/project';
import { createSampleProject } from '../../core/sample';
import { projectStats } from '../../core/api/stats';
import { rememberProject } from '../../core/store/registry';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

export async function runProject(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      const { values, positionals } = parse('project create', rest, { name: { type: 'string' }, json: { type: 'boolean' } }, ['DIR']);
      const p = createProject(positionals[0] as string, values.name);
      rememberProject(p.dir, p.name);
      io.stdout(values.json ? JSON.stringify({ name: p.name, path: p.dir }) : `Created project "${p.name}" in ${p.dir}`);
      p.close();
      return 0;
    }
    case 'sample': {
      const { values, positionals } = parse('project sample', rest, { json: { type: 'boolean' } }, ['DIR']);
      const p = createSampleProject(positionals[0] as string);
      rememberProject(p.dir, p.name);
      const s = projectStats(p.db);
      io.stdout(
        values.json
          ? JSON.stringify({ name: p.name, path: p.dir, questions: s.questions, domains: s.domains })
          : `Created the sample project in ${p.dir}: ${s.questions} questions over ${Object.keys(s.domains).length} domains.`,
      );
      p.close();
      return 0;
    }
    case 'info': {
      const { values, positionals } = parse('project info', rest, { json: { type: 'boolean' } }, ['DIR']);
      const p = openProject(positionals[0] as string);
      try {
        const s = projectStats(p.db);
        const info = { name: p.name, path: p.dir, questions: s.questions, domains: s.domains, traces: s.traces, selected: s.selected, accepted: s.accepted };
        if (values.json) io.stdout(JSON.stringify(info));
        else {
          io.stdout(`${info.name}  (${info.path})`);
          io.stdout(`  questions ${info.questions}   traces ${info.traces}   selected ${info.selected}   accepted ${info.accepted}`);
          for (const [d, n] of Object.entries(info.domains)) io.stdout(`  ${d.padEnd(20)} ${n}`);
        }
      } finally {
        p.close();
      }
      return 0;
    }
    default:
      throw new UsageError(sub ? `project: unknown subcommand "${sub}" (use create, sample or info).` : 'project: missing subcommand (use create, sample or info).');
  }
}
