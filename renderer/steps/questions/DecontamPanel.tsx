import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useProject } from '../../app/ProjectContext';
import { Button, Card, ErrorNote, Field, inputClass } from '../../app/ui';
import { FilePicker } from './FileBrowser';
import { Badge, td, th } from './parts';
import type { FlaggedRow } from './types';

/** Evaluation sets and the n-gram overlap check; flagged questions with the matching item. */
export function DecontamPanel({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const { project } = useProject();
  const [name, setName] = useState('');
  const [file, setFile] = useState('');
  const [ngram, setNgram] = useState(8);
  const sets = useApiQuery(() => api.pool.evalsets.list.query(), [version]);
  const flagged = useApiQuery(() => api.pool.decontaminate.flagged.query({ offset: 0, limit: 200 }), [version]);
  const add = useApiMutation(() => api.pool.evalsets.add.mutate({ name: name.trim(), file: file.trim() }));
  const remove = useApiMutation((n: string) => api.pool.evalsets.remove.mutate({ name: n }));
  const builtins = useApiQuery(() => api.pool.evalsets.builtins.query(), [version]);
  // Every built-in benchmark is checked by default; the user unticks what they do not want.
  const [unticked, setUnticked] = useState<Set<string>>(new Set());
  const chosen = (builtins.data ?? []).map((b) => b.name).filter((n) => !unticked.has(n));
  const run = useApiMutation(() => api.pool.decontaminate.run.mutate({ ngram, benchmarks: chosen }));
  const nothingToCheck = chosen.length === 0 && !sets.data?.length;
  const [summary, setSummary] = useState<{ checked: number; flagged: number } | null>(null);
  const rows = (flagged.data?.rows ?? []) as FlaggedRow[];

  return (
    <div className="space-y-5">
      <Card title={t('questions.decontam.builtins')} labelId="builtins-title">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">{t('questions.decontam.builtinsHelp')}</p>
        {builtins.data?.length === 0 && <p className="text-sm text-slate-500">{t('questions.decontam.noBuiltins')}</p>}
        <ul className="grid gap-1 sm:grid-cols-2 lg:grid-cols-4" data-testid="builtin-benchmarks">
          {builtins.data?.map((b) => (
            <li key={b.name}>
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  className="accent-indigo-600"
                  checked={!unticked.has(b.name)}
                  onChange={(e) => {
                    const next = new Set(unticked);
                    if (e.target.checked) next.delete(b.name);
                    else next.add(b.name);
                    setUnticked(next);
                  }}
                />
                <span className="font-medium">{b.name}</span>
                {b.items !== null && <Badge>{t('questions.decontam.items', { count: b.items })}</Badge>}
              </label>
            </li>
          ))}
        </ul>
        <ErrorNote error={builtins.error} />
      </Card>

      <Card title={t('questions.decontam.evalsets')} labelId="evalsets-title">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">{t('questions.decontam.help')}</p>
        {sets.data?.length === 0 && <p className="text-sm text-slate-500">{t('questions.decontam.noEvalsets')}</p>}
        <ul className="mb-4 divide-y divide-slate-100 dark:divide-slate-800" data-testid="evalsets">
          {sets.data?.map((s) => (
            <li key={s.id} className="flex items-center gap-3 py-2 text-sm">
              <span className="font-medium">{s.name}</span>
              <Badge>{t('questions.decontam.items', { count: s.items })}</Badge>
              {s.flagged > 0 && <Badge tone="violet">{t('questions.decontam.flaggedCount', { count: s.flagged })}</Badge>}
              <code className="min-w-0 flex-1 truncate text-xs text-slate-500" title={s.file}>
                {s.file}
              </code>
              <Button
                variant="ghost"
                className="!px-2 !py-1 text-xs"
                onClick={async () => {
                  await remove.run(s.name);
                  await sets.refetch();
                  onChanged();
                }}
              >
                {t('questions.decontam.remove')}
              </Button>
            </li>
          ))}
        </ul>
        <form
          className="grid items-end gap-3 md:grid-cols-[12rem_1fr_auto]"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await add.run()) {
              setName('');
              setFile('');
              await sets.refetch();
            }
          }}
        >
          <Field label={t('questions.decontam.name')} htmlFor="evalset-name">
            <input id="evalset-name" className={inputClass} value={name} placeholder={t('questions.decontam.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label={t('questions.decontam.file')} htmlFor="evalset-file">
            <FilePicker id="evalset-file" value={file} onChange={setFile} start={project?.path} />
          </Field>
          <Button type="submit" variant="primary" disabled={add.pending || !name.trim() || !file.trim()} className="self-start md:mt-5">
            {t('questions.decontam.add')}
          </Button>
        </form>
        <ErrorNote error={add.error ?? remove.error ?? sets.error} />
      </Card>

      <Card title={t('questions.decontam.title')} labelId="decontam-title">
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
            onClick={async () => {
              const r = await run.run();
              if (r) {
                setSummary(r);
                await Promise.all([sets.refetch(), builtins.refetch()]);
                onChanged();
              }
            }}
          >
            {run.pending ? t('questions.decontam.running') : t('questions.decontam.run')}
          </Button>
          {nothingToCheck && <p className="text-xs text-slate-500">{t('questions.decontam.nothingToCheck')}</p>}
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
