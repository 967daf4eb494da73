import path from 'node:path';
import { checkModelFolder, findVllm, LocalServers } from '../../core/localserve/manager';
import { liveTeacher } from '../../core/teacher/live';
import { openProject } from '../../core/store/project';
import { getTeacher, listTeachers, publicTeacher, removeTeacher, saveTeacher } from '../../core/teacher/store';
import { modelMismatch, testTeacher } from '../../core/teacher/probe';
import { authHeaders } from '../../core/teacher/client';
import { teacherConnection } from '../../core/teacher/credentials';
import { discover } from '../../core/teacher/probe';
import { getPrompting, REASONING_MODES, setPrompting, type PromptingInput, type ReasoningMode } from '../../core/teacher/prompting';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

function num(command: string, name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${command}: --${name} must be a number of 0 or more, not "${v}".`);
  return n;
}

const PROMPT_FLAGS = {
  'prompt-template': { type: 'string' },
  'default-template': { type: 'boolean' },
  reasoning: { type: 'string' },
  'reasoning-prompt': { type: 'string' },
  'default-reasoning-prompt': { type: 'boolean' },
} as const;

async function readText(io: CliIO, command: string, flag: string, file: string): Promise<string> {
  try {
    return await io.readFile(file);
  } catch (e) {
    throw new UsageError(`${command}: could not read the --${flag} file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a text file.`);
  }
}

/** The prompt settings given on the command line (--prompt-template FILE, --reasoning MODE, --reasoning-prompt FILE). */
async function promptFlags(io: CliIO, command: string, name: string, values: Record<string, unknown>): Promise<PromptingInput | null> {
  const out: PromptingInput = { name };
  const tpl = values['prompt-template'] as string | undefined;
  if (tpl !== undefined && values['default-template']) throw new UsageError(`${command}: give --prompt-template FILE or --default-template, not both.`);
  if (tpl !== undefined) out.promptTemplate = await readText(io, command, 'prompt-template', tpl);
  else if (values['default-template']) out.promptTemplate = null;
  const mode = values.reasoning as string | undefined;
  if (mode !== undefined) {
    if (!(REASONING_MODES as readonly string[]).includes(mode)) throw new UsageError(`${command}: --reasoning must be one of ${REASONING_MODES.join(', ')}, not "${mode}".`);
    out.reasoningMode = mode as ReasoningMode;
  }
  const rp = values['reasoning-prompt'] as string | undefined;
  if (rp !== undefined && values['default-reasoning-prompt']) throw new UsageError(`${command}: give --reasoning-prompt FILE or --default-reasoning-prompt, not both.`);
  if (rp !== undefined) out.reasoningPrompt = await readText(io, command, 'reasoning-prompt', rp);
  else if (values['default-reasoning-prompt']) out.reasoningPrompt = null;
  return Object.keys(out).length > 1 ? out : null;
}

/**
 * `teacher add PROJECT --name N --local DIR`: a teacher that remembers its model folder, not a port. Generation,
 * `teacher test` and `eval` start its server on demand (vLLM where installed, else transformers serve) and stop it
 * when the command ends.
 */
async function addLocal(io: CliIO, project: string, name: string | undefined, local: string, urls: string[] | undefined, values: Record<string, unknown>): Promise<number> {
  if (!name) throw new UsageError('teacher add: --name is required (usage: distillery teacher add PROJECT --name NAME --local MODEL_DIR).');
  if (urls?.length || values.model !== undefined) throw new UsageError('teacher add: --local MODEL_DIR starts its own server; leave out --url and --model.');
  const dir = path.resolve(local);
  try {
    checkModelFolder(dir);
  } catch (e) {
    throw new UsageError(`teacher add: --local ${local}: ${(e as Error).message}`);
  }
  const prompting = await promptFlags(io, 'teacher add', name, values);
  const p = openProject(project);
  try {
    const kind = findVllm() ? 'vllm' : 'transformers';
    // The URL is a placeholder until the server runs: every use replaces it with the started server's.
    const t = saveTeacher(p.db, {
      name,
      preset: kind,
      baseUrls: ['http://127.0.0.1/v1'],
      model: dir,
      localDir: dir,
      systemPrompt: (values.system as string | undefined) ?? null,
    });
    const pr = prompting ? setPrompting(p.db, prompting) : null;
    io.stdout(
      values.json
        ? JSON.stringify({ ...publicTeacher(t), ...(pr ? { prompting: pr } : {}) })
        : `Saved local teacher "${t.name}": ${dir} (${kind} serve, started on demand by generate, teacher test and eval, stopped when the command ends).`,
    );
  } finally {
    p.close();
  }
  return 0;
}

/** `teacher add|set-prompt|test|list|remove|discover`. */
export async function runTeacher(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      const { values, positionals } = parse(
        'teacher add',
        rest,
        {
          name: { type: 'string' },
          url: { type: 'string', multiple: true },
          model: { type: 'string' },
          local: { type: 'string' },
          'key-env': { type: 'string' },
          preset: { type: 'string' },
          header: { type: 'string', multiple: true },
          system: { type: 'string' },
          'price-input': { type: 'string' },
          'price-output': { type: 'string' },
          ...PROMPT_FLAGS,
          json: { type: 'boolean' },
        },
        ['PROJECT'],
      );
      const name = values.name;
      const urls = values.url;
      const local = values.local;
      if (local !== undefined) return addLocal(io, positionals[0] as string, name, local, urls, values);
      const model = values.model;
      if (!name || !urls?.length || !model) {
        throw new UsageError('teacher add: --name, --url and --model are required (usage: distillery teacher add PROJECT --name NAME --url URL --model MODEL [--key-env VAR], or --name NAME --local MODEL_DIR for a model folder).');
      }
      const headers: Record<string, string> = {};
      for (const h of (values.header) ?? []) {
        // "Name: value" or "Name=value", whichever separator comes first (a value may hold the other one).
        const seps = [h.indexOf(':'), h.indexOf('=')].filter((x) => x >= 0);
        const i = seps.length ? Math.min(...seps) : -1;
        if (i <= 0) throw new UsageError(`teacher add: --header must look like "Name: value" or "Name=value", not "${h.split(/[:=]/)[0] ?? ''}...".`);
        headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
      }
      for (const u of urls) {
        try {
          new URL(u);
        } catch {
          throw new UsageError(`teacher add: "${u}" is not a URL; give the server's base URL, e.g. http://127.0.0.1:8000/v1.`);
        }
      }
      const prompting = await promptFlags(io, 'teacher add', name, values);
      const p = openProject(positionals[0] as string);
      try {
        const t = saveTeacher(p.db, {
          name,
          baseUrls: urls,
          model,
          keyEnv: values['key-env'],
          preset: (values.preset) ?? null,
          headers,
          systemPrompt: (values.system) ?? null,
          priceInput: num('teacher add', 'price-input', values['price-input']) ?? null,
          priceOutput: num('teacher add', 'price-output', values['price-output']) ?? null,
        });
        const pr = prompting ? setPrompting(p.db, prompting) : null;
        io.stdout(values.json ? JSON.stringify({ ...publicTeacher(t), ...(pr ? { prompting: pr } : {}) }) : `Saved teacher "${t.name}": ${t.model} at ${t.baseUrls.join(', ')}`);
        // a server that lists other models (transformers serve answers 400 to any other name) is said now, not after a failed pool
        const hint = await (async () => {
          const conn = teacherConnection(t);
          return modelMismatch(conn.baseUrls[0] ?? urls[0]!, authHeaders(conn, {}), t.model, t.name, 1_500);
        })().catch(() => null);
        if (hint) io.stderr(`warning: ${hint}.`);
      } finally {
        p.close();
      }
      return 0;
    }
    case 'set-prompt': {
      const { values, positionals } = parse('teacher set-prompt', rest, { name: { type: 'string' }, ...PROMPT_FLAGS, json: { type: 'boolean' } }, ['PROJECT']);
      const name = values.name;
      if (!name) throw new UsageError('teacher set-prompt: --name is required (usage: distillery teacher set-prompt PROJECT --name NAME [--prompt-template FILE] [--reasoning native|prompt|split] [--reasoning-prompt FILE]).');
      const prompting = await promptFlags(io, 'teacher set-prompt', name, values);
      if (!prompting) throw new UsageError('teacher set-prompt: nothing to change; give --prompt-template FILE, --default-template, --reasoning MODE, --reasoning-prompt FILE or --default-reasoning-prompt.');
      const p = openProject(positionals[0] as string);
      try {
        const pr = setPrompting(p.db, prompting);
        if (values.json) io.stdout(JSON.stringify({ teacher: name, ...pr }));
        else {
          io.stdout(`Teacher "${name}": ${pr.promptTemplate === null ? 'default prompt template' : 'own prompt template'}; reasoning: ${pr.reasoningMode}${pr.reasoningMode === 'prompt' ? ` (${pr.reasoningPrompt === null ? 'default reasoning prompt in the question\'s language' : 'own reasoning prompt'})` : ''}.`);
        }
      } finally {
        p.close();
      }
      return 0;
    }
    case 'test': {
      const { values, positionals } = parse('teacher test', rest, { name: { type: 'string' }, json: { type: 'boolean' } }, ['PROJECT']);
      if (!values.name) throw new UsageError('teacher test: --name is required.');
      const p = openProject(positionals[0] as string);
      let t;
      let pr;
      try {
        t = getTeacher(p.db, values.name);
        pr = getPrompting(p.db, t.name);
      } finally {
        p.close();
      }
      // A local teacher's server is started from its folder for the test and stopped when it ends.
      const servers = new LocalServers();
      let reports;
      try {
        if (t.localDir && !values.json) io.stderr(`Starting a local server for ${t.localDir}…`);
        reports = await testTeacher(await liveTeacher(t, { servers }), { reasoning: { mode: pr.reasoningMode, prompt: pr.reasoningPrompt } });
      } finally {
        await servers.stopAll();
      }
      const ok = reports.every((r) => r.ok);
      if (values.json) io.stdout(JSON.stringify({ teacher: t.name, model: t.model, ok, endpoints: reports }));
      else
        for (const r of reports) {
          io.stdout(
            r.ok
              ? `${r.endpoint}: ok in ${r.latencyMs} ms (first token ${r.firstTokenMs ?? '-'} ms); reasoning: ${r.reasoning ?? 'none'}; context: ${r.contextLength ?? 'not reported'}; finish: ${r.finishReason}`
              : `${r.endpoint}: FAILED: ${r.error}`,
          );
        }
      for (const r of reports) if (r.ok && r.modelHint && !values.json) io.stderr(`warning: ${r.endpoint}: ${r.modelHint}.`);
      // A teacher that does not reason is found here, before a whole pool comes back without thinking.
      if (!values.json && reports.some((r) => r.ok && r.flags.includes('no_thinking'))) {
        io.stdout(
          `No thinking came back: "${t.name}" does not reason by itself. Ask it to think inside <think>…</think> with "distillery teacher set-prompt PROJECT --name ${t.name} --reasoning prompt", or take the text before its final answer as the thinking with "--reasoning split".`,
        );
      }
      return ok ? 0 : 1;
    }
    case 'list': {
      const { values, positionals } = parse('teacher list', rest, { json: { type: 'boolean' } }, ['PROJECT']);
      const p = openProject(positionals[0] as string);
      try {
        for (const t of listTeachers(p.db)) io.stdout(values.json ? JSON.stringify(publicTeacher(t)) : `${t.name}\t${t.model}\t${t.localDir ? `local: ${t.localDir}` : t.baseUrls.join(',')}`);
      } finally {
        p.close();
      }
      return 0;
    }
    case 'remove': {
      const { values, positionals } = parse('teacher remove', rest, { name: { type: 'string' } }, ['PROJECT']);
      if (!values.name) throw new UsageError('teacher remove: --name is required.');
      const p = openProject(positionals[0] as string);
      try {
        const removed = removeTeacher(p.db, values.name);
        io.stdout(removed ? `Removed teacher "${values.name}".` : `There is no teacher named "${values.name}".`);
        return removed ? 0 : 1;
      } finally {
        p.close();
      }
    }
    case 'discover': {
      const { values } = parse('teacher discover', rest, { json: { type: 'boolean' } }, []);
      const found = await discover();
      if (values.json) io.stdout(JSON.stringify(found));
      else if (!found.length) io.stdout('No local server answered on ports 8000, 30000, 11434, 8080, 1234, 8001.');
      else for (const s of found) io.stdout(`${s.baseUrl}  (${s.server})  ${s.models.map((m) => m.id).join(', ')}`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `teacher: unknown subcommand "${sub}" (use add, set-prompt, test, list, remove or discover).` : 'teacher: missing subcommand (use add, set-prompt, test, list, remove or discover).');
  }
}
