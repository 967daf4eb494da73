import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { action, useApiMutation, useApiQuery } from '../../api/hooks';
import { useProject } from '../../app/ProjectContext';
import { Button, Card, ErrorNote, Field, inputClass } from '../../app/ui';
import { FilePicker } from './FileBrowser';
import { Badge, td, th } from './parts';
import type { FlaggedRow } from './types';

const why = 'text-xs text-slate-500 dark:text-slate-400';

/** A ticked-by-default checkbox list: everything is on until the user unticks it. */
function useUnticked() {
  const [off, setOff] = useState<Set<string>>(new Set());
  const toggle = (name: string, on: boolean) => {
    const next = new Set(off);
    if (on) next.delete(name);
    else next.add(name);
    setOff(next);
  };
  return { off, toggle };
}

function Tick({ name, on, onChange, children }: { name: string; on: boolean; onChange: (on: boolean) => void; children?: ReactNode }) {
  return (
    <label className="flex min-w-0 items-center gap-2 text-sm">
      <input type="checkbox" className="accent-indigo-600" checked={on} onChange={(e) => onChange(e.target.checked)} />
      <span className="font-medium">{name}</span>
      {children}
    </label>
  );
}

/**
 * What to check the pool against — the project's held-out sets and the built-in benchmarks, all ticked by
 * default — then the n-gram overlap check and the flagged questions with the matching item. Every disabled
 * button says why, in its tooltip and in text beside it.
 */
export function DecontamPanel({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const { project } = useProject();
  const [name, setName] = useState('');
  const [file, setFile] = useState('');
  const [ngram, setNgram] = useState(8);
  const sets = useApiQuery(() => api.pool.evalsets.list.query(), [version]);
  const builtins = useApiQuery(() => api.pool.evalsets.builtins.query(), [version]);
  const flagged = useApiQuery(() => api.pool.decontaminate.flagged.query({ offset: 0, limit: 200 }), [version]);
  const add = useApiMutation(() => api.pool.evalsets.add.mutate({ name: name.trim(), file: file.trim() }));
  const remove = useApiMutation((n: string) => api.pool.evalsets.remove.mutate({ name: n }));
  const benchTicks = useUnticked();
  const heldTicks = useUnticked();
  // A registered set that is a built-in benchmark (same name, same file) is listed with the benchmarks.
  const registeredBuiltins = new Set((builtins.data ?? []).filter((b) => b.registered).map((b) => b.name));
  const heldOut = (sets.data ?? []).filter((s) => !registeredBuiltins.has(s.name));
  const chosenBench = (builtins.data ?? []).map((b) => b.name).filter((n) => !benchTicks.off.has(n));
  const chosenHeld = heldOut.map((s) => s.name).filter((n) => !heldTicks.off.has(n));
  const run = useApiMutation(() => api.pool.decontaminate.run.mutate({ ngram, benchmarks: chosenBench, heldOut: chosenHeld }));
  const nothingToCheck = chosenBench.length === 0 && chosenHeld.length === 0;
  const registerWhy = !name.trim() || !file.trim() ? t('questions.decontam.registerWhy') : null;
  const [summary, setSummary] = useState<{ checked: number; flagged: number } | null>(null);
  const rows = (flagged.data?.rows ?? []) as FlaggedRow[];

  return (
    <div className="space-y-5">
      <Card title={t('questions.decontam.checkAgainst')} labelId="check-against-title">
        <div data-testid="check-against" className="space-y-4">
          <p className="text-sm text-slate-600 dark:text-slate-400">{t('questions.decontam.checkAgainstHelp')}</p>
          <section data-testid="heldout-sets">
            <h3 className="mb-1 text-sm font-semibold">{t('questions.decontam.heldOut')}</h3>
            {sets.data && heldOut.length === 0 && <p className="text-sm text-slate-500">{t('questions.decontam.noHeldOut')}</p>}
            <ul className="divide-y divide-slate-100 dark:divide-slate-800">
              {heldOut.map((s) => (
                <li key={s.id} className="flex items-center gap-3 py-1.5">
                  <Tick name={s.name} on={!heldTicks.off.has(s.name)} onChange={(on) => heldTicks.toggle(s.name, on)}>
                    <Badge>{t('questions.decontam.items', { count: s.items })}</Badge>
                    {s.flagged > 0 && <Badge tone="violet">{t('questions.decontam.flaggedCount', { count: s.flagged })}</Badge>}
                  </Tick>
                  <code className="min-w-0 flex-1 truncate text-xs text-slate-500" title={s.file}>
                    {s.file}
                  </code>
                  <Button
                    variant="ghost"
                    className="!px-2 !py-1 text-xs"
                    aria-label={t('questions.decontam.removeNamed', { name: s.name })}
                    onClick={action(async () => {
                      await remove.run(s.name);
                      await sets.refetch();
                      onChanged();
                    })}
                  >
                    {t('questions.decontam.remove')}
                  </Button>
                </li>
              ))}
            </ul>
          </section>
          <section>
            <h3 className="mb-1 text-sm font-semibold">{t('questions.decontam.builtins')}</h3>
            {builtins.data?.length === 0 && <p className="text-sm text-slate-500">{t('questions.decontam.noBuiltins')}</p>}
            <ul className="grid gap-1 sm:grid-cols-2 lg:grid-cols-4" data-testid="builtin-benchmarks">
              {builtins.data?.map((b) => (
                <li key={b.name}>
                  <Tick name={b.name} on={!benchTicks.off.has(b.name)} onChange={(on) => benchTicks.toggle(b.name, on)}>
                    {b.items !== null && <Badge>{t('questions.decontam.items', { count: b.items })}</Badge>}
                  </Tick>
                </li>
              ))}
            </ul>
          </section>
        </div>
        <ErrorNote error={builtins.error ?? sets.error ?? remove.error} />
      </Card>

      <Card title={t('questions.decontam.addTitle')} labelId="evalsets-title">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">{t('questions.decontam.addHelp')}</p>
        <form
          className="grid items-end gap-3 md:grid-cols-[12rem_1fr_auto]"
          onSubmit={action(async (e) => {
            e.preventDefault();
            if (await add.run()) {
              setName('');
              setFile('');
              await sets.refetch();
            }
          })}
        >
          <Field label={t('questions.decontam.name')} htmlFor="evalset-name">
            <input id="evalset-name" className={inputClass} value={name} placeholder={t('questions.decontam.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label={t('questions.decontam.file')} htmlFor="evalset-file">
            <FilePicker id="evalset-file" value={file} onChange={setFile} start={project?.path} />
          </Field>
          <Button type="submit" variant="primary" disabled={add.pending || registerWhy !== null} title={registerWhy ?? undefined} className="self-start md:mt-5">
            {add.pending ? t('questions.decontam.registering') : t('questions.decontam.add')}
          </Button>
        </form>
        {registerWhy && (
          <p className={`mt-2 ${why}`} data-testid="register-why">
            {registerWhy}
          </p>
        )}
        <ErrorNote error={add.error} />
      </Card>

      <Card title={t('questions.decontam.title')} labelId="decontam-title">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">{t('questions.decontam.help')}</p>
        <div className="flex flex-wrap items-end gap-3">
          <div className="w-44">
            <Field label={t('questions.decontam.ngram')} htmlFor="decontam-ngram">
              <input id="decontam-ngram" type="number" min={1} max={50} className={inputClass} value={ngram} onChange={(e) => setNgram(Math.max(1, Math.min(50, Number(e.target.value) || 8)))} />
            </Field>
          </div>
          <Button
            variant="primary"
            disabled={run.pending || nothingToCheck}
            title={nothingToCheck ? t('questions.decontam.nothingToCheck') : undefined}
            onClick={action(async () => {
              const r = await run.run();
              if (r) {
                setSummary(r);
                await Promise.all([sets.refetch(), builtins.refetch()]);
                onChanged();
              }
            })}
          >
            {run.pending ? t('questions.decontam.running') : t('questions.decontam.run')}
          </Button>
          {nothingToCheck && (
            <p className={why} data-testid="run-why">
              {t('questions.decontam.nothingToCheck')}
            </p>
          )}
          {summary && (
            <p className="text-sm text-emerald-700 dark:text-emerald-300" data-testid="decontam-summary">
              {t('questions.decontam.summary', summary)}
            </p>
          )}
        </div>
        <ErrorNote error={run.error} />
        <h3 className="mt-5 mb-2 text-sm font-semibold">{t('questions.decontam.flagged', { total: flagged.data?.total ?? 0 })}</h3>
        {rows.length === 0 ? (
          <p className="text-sm text-slate-500">{t('questions.decontam.noFlagged')}</p>
        ) : (
          <div className="max-h-[28rem] overflow-auto rounded-md ring-1 ring-slate-200 dark:ring-slate-700">
            <table className="w-full border-collapse" data-testid="flagged">
              <thead>
                <tr>
                  <th className={`${th} w-1/3`}>{t('questions.decontam.question')}</th>
                  <th className={`${th} w-1/3`}>{t('questions.decontam.match')}</th>
                  <th className={th}>{t('questions.decontam.overlap')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.question_id}-${r.evalset}-${r.evalset_item}`}>
                    <td className={td}>
                      <span className="mr-1 font-mono text-xs text-slate-500">#{r.question_id}</span>
                      <span className="line-clamp-3">{r.question}</span>
                    </td>
                    <td className={td}>
                      <Badge tone="violet">
                        {r.evalset} #{r.evalset_item}
                      </Badge>
                      {r.evalset_question && <p className="mt-1 line-clamp-3 text-slate-600 dark:text-slate-300">{r.evalset_question}</p>}
                    </td>
                    <td className={`${td} font-mono text-xs text-violet-800 dark:text-violet-200`}>{r.overlap}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
