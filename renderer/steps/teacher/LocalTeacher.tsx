import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, Card, ErrorNote, Field } from '../../app/ui';
import { FolderInput } from '../project/FolderInput';
import { ImportGguf } from '../../app/models/ImportGguf';
import { muted, nameFrom, pill, type LocalServer } from './types';
import { useLocalServers } from './useLocalServers';

const STATUS_CLASS: Record<LocalServer['status'], string> = {
  starting: 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100',
  ready: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100',
  stopped: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200',
  failed: 'bg-rose-100 text-rose-800 dark:bg-rose-900 dark:text-rose-100',
};

/** Starts a server for a model folder, shows its status and log tail, and saves it as a teacher. */
export function LocalTeacher({ onSaved }: { onSaved: () => void }) {
  const { t } = useTranslation();
  const info = useApiQuery(() => api.app.info.query(), []);
  const [dir, setDir] = useState('');
  const servers = useLocalServers(1500);
  const [saved, setSaved] = useState<string | null>(null);
  const start = useApiMutation((modelDir: string) => api.localServers.start.mutate({ modelDir }));
  const stop = useApiMutation((id: number) => api.localServers.stop.mutate({ id }));
  const use = useApiMutation((s: LocalServer) =>
    // The teacher keeps its folder, not this port: Generate, Test and Evaluate start it again when it is needed.
    api.teacher.save.mutate({ name: nameFrom(s.modelDir, 'local-'), preset: s.kind === 'vllm' ? 'vllm' : 'transformers', baseUrls: [s.baseUrl], model: s.model, localDir: s.modelDir }),
  );

  const shown = [...servers].filter((s) => s.status !== 'stopped').sort((a, b) => b.id - a.id);
  return (
    <Card title={t('teacher.local.title')} labelId="local-title">
      <p className={muted}>{t('teacher.local.help')}</p>
      <div className="mt-3 space-y-2">
        <Field label={t('teacher.local.folder')} htmlFor="local-model-dir">
          <FolderInput id="local-model-dir" value={dir} onChange={setDir} nativePicker={Boolean(info.data?.nativeFolderPicker)} />
        </Field>
        <ImportGguf id="local-model-gguf" onImported={setDir} />
        <Button variant="primary" disabled={!dir.trim() || start.pending} onClick={() => void start.run(dir.trim())}>
          {start.pending ? t('teacher.local.starting') : t('teacher.local.start')}
        </Button>
        {start.pending && <p className={muted}>{t('teacher.local.waitNote')}</p>}
      </div>
      <ErrorNote error={start.error ?? stop.error ?? use.error} />
      {saved && (
        <p role="status" className="mt-3 text-sm text-emerald-700 dark:text-emerald-300">
          {t('teacher.local.used', { name: saved })}
        </p>
      )}
      <ul className="mt-3 space-y-3" data-testid="local-servers">
        {shown.map((s) => (
          <li key={s.id} data-testid="local-server" data-status={s.status} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div className="min-w-0">
                <p className="flex items-center gap-2">
                  <span data-testid="local-status" className={`${pill} ${STATUS_CLASS[s.status]}`}>
                    {t(`teacher.local.status.${s.status}`)}
                  </span>
                  <span className="font-medium">{s.kind}</span>
                  <code className="text-xs text-slate-500">{s.baseUrl}</code>
                </p>
                <p className="mt-1 truncate font-mono text-xs text-slate-600 dark:text-slate-400" title={s.modelDir}>
                  {s.modelDir}
                </p>
              </div>
              <div className="flex gap-2">
                <Button
                  variant="primary"
                  disabled={s.status !== 'ready' || use.pending}
                  onClick={() =>
                    void use.run(s).then((r) => {
                      if (r) {
                        setSaved(r.name);
                        onSaved();
                      }
                    })
                  }
                >
                  {t('teacher.local.use')}
                </Button>
                <Button variant="danger" disabled={stop.pending} onClick={() => void stop.run(s.id)}>
                  {t('teacher.local.stop')}
                </Button>
              </div>
            </div>
            {s.error && <p className="mt-1 text-xs text-rose-700 dark:text-rose-300">{s.error}</p>}
            <LogTail id={s.id} live={s.status === 'starting' || s.status === 'ready'} />
          </li>
        ))}
      </ul>
    </Card>
  );
}

function LogTail({ id, live }: { id: number; live: boolean }) {
  const { t } = useTranslation();
  const [lines, setLines] = useState<string[]>([]);
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    let stopped = false;
    const tick = () =>
      api.localServers.log
        .query({ id })
        .then((l) => !stopped && setLines(l.slice(-40)))
        .catch(() => undefined);
    void tick();
    if (!live) return;
    const h = window.setInterval(() => void tick(), 2000);
    return () => {
      stopped = true;
      window.clearInterval(h);
    };
  }, [id, live]);
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [lines]);
  return (
    <details className="mt-2" open={live}>
      <summary className="cursor-pointer text-xs text-slate-500">{t('teacher.local.log')}</summary>
      <pre ref={pre} data-testid="local-log" className="mt-1 max-h-40 overflow-auto rounded bg-slate-950 p-2 font-mono text-[11px] whitespace-pre-wrap text-slate-200">
        {lines.length ? lines.join('\n') : t('teacher.local.logEmpty')}
      </pre>
    </details>
  );
}
