import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { action, useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, Card, ErrorNote } from '../../app/ui';

const BADGE = {
  ok: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200',
  warn: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100',
  fail: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200',
} as const;

/** The check's family from its id (teacher-NAME, model-N): the label shown beside the engine's sentence. */
function family(id: string): string {
  if (id.startsWith('teacher-')) return 'teacher';
  if (id.startsWith('model-')) return 'model';
  return id;
}

/**
 * The preflight (the same checks as `distillery doctor`), the offline toggle and the egress log's summary.
 * The engine caches the slow Python probe; "Check again" asks it to probe afresh.
 */
export function DoctorPanel() {
  const { t } = useTranslation();
  const [refresh, setRefresh] = useState(0);
  const doctor = useApiQuery(() => api.doctor.run.query({ refresh: refresh > 0 }), [refresh]);
  const egress = useApiQuery(() => api.doctor.egress.query(), [refresh]);
  const toggle = useApiMutation((offline: boolean) => api.doctor.setOffline.mutate({ offline }));
  const remote = useApiMutation((allow: boolean) => api.doctor.setAllowRemoteTeachers.mutate({ allow }));
  const r = doctor.data;
  const e = egress.data;
  const outside = e ? e.session.allowed + e.session.refused : 0;
  return (
    <Card
      title={t('doctor.title')}
      labelId="doctor-title"
      actions={
        <Button variant="ghost" disabled={doctor.loading} onClick={() => setRefresh((n) => n + 1)}>
          {t('doctor.recheck')}
        </Button>
      }
    >
      <div data-testid="doctor" aria-busy={doctor.loading} className="space-y-3 text-sm">
        <ErrorNote error={doctor.error ?? egress.error ?? toggle.error ?? remote.error} />
        {e && (
          <div className="space-y-1 rounded-md border border-slate-200 px-3 py-2 dark:border-slate-800">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                data-testid="offline-toggle"
                checked={e.offline.offline}
                disabled={toggle.pending || e.offline.source === 'env'}
                onChange={action(async (ev) => {
                  if (await toggle.run(ev.target.checked)) setRefresh((n) => n + 1);
                })}
                className="h-4 w-4 accent-indigo-600"
              />
              <span className="font-medium">{t('doctor.offline')}</span>
            </label>
            <p className="text-xs text-slate-500 dark:text-slate-400">{e.offline.source === 'env' ? t('doctor.offlineEnv') : t('doctor.offlineHint')}</p>
            <label className="flex items-center gap-2 pt-1">
              <input
                type="checkbox"
                data-testid="remote-teachers-toggle"
                checked={e.offline.allowRemoteTeachers}
                disabled={remote.pending || e.offline.offline}
                onChange={action(async (ev) => {
                  if (await remote.run(ev.target.checked)) setRefresh((n) => n + 1);
                })}
                className="h-4 w-4 accent-indigo-600"
              />
              <span className="font-medium">{t('doctor.remoteTeachers')}</span>
            </label>
            <p className="text-xs text-slate-500 dark:text-slate-400">{e.offline.offline ? t('doctor.remoteTeachersOffline') : t('doctor.remoteTeachersHint')}</p>
            <p data-testid="egress-summary" className={e.session.refused ? 'text-amber-800 dark:text-amber-200' : 'text-slate-700 dark:text-slate-300'}>
              {t('doctor.egress', { count: outside, refused: e.session.refused })}
            </p>
            {e.recent.length > 0 && (
              <ul className="font-mono text-xs text-slate-500 dark:text-slate-400">
                {e.recent.slice(0, 5).map((x) => (
                  <li key={`${x.t}-${x.host}-${x.port}-${x.who}`}>
                    {x.t.slice(0, 19).replace('T', ' ')} {x.allowed ? t('doctor.allowed') : t('doctor.refused')} {x.host}:{x.port} ({x.who})
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {doctor.loading && !r && <p className="text-slate-500">{t('doctor.checking')}</p>}
        {r && (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {r.checks.map((c) => (
              <li key={c.id} data-testid={`doctor-${c.id}`} className="flex items-start gap-2 py-1.5">
                <span className={`mt-0.5 shrink-0 rounded px-1.5 text-xs font-semibold ${BADGE[c.status]}`}>{t(`doctor.status.${c.status}`)}</span>
                <span className="shrink-0 text-slate-500 dark:text-slate-400">{t(`doctor.checks.${family(c.id)}`, { defaultValue: c.id })}</span>
                {/* the engine's sentence, as text (never HTML) */}
                <span className="min-w-0 break-words">{c.message}</span>
              </li>
            ))}
          </ul>
        )}
        {r && <p className="text-xs text-slate-500">{t('doctor.took', { ms: r.elapsed_ms })}</p>}
      </div>
    </Card>
  );
}
