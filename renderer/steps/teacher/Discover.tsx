import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation } from '../../api/hooks';
import { Button, Card, ErrorNote } from '../../app/ui';
import { muted, nameFrom, type Discovered } from './types';

/** "Find local servers": probes the usual loopback ports; "Use this" saves a teacher for a model. */
export function Discover({ onSaved }: { onSaved: () => void }) {
  const { t } = useTranslation();
  const [found, setFound] = useState<Discovered[] | null>(null);
  const find = useApiMutation(() => api.teacher.discover.query());
  const save = useApiMutation((s: Discovered, model: string) => api.teacher.save.mutate({ name: nameFrom(model, `${s.server}-`), preset: s.server, baseUrls: [s.baseUrl], model }));
  return (
    <Card title={t('teacher.discover.title')} labelId="discover-title">
      <p className={muted}>{t('teacher.discover.help')}</p>
      <Button className="mt-3" disabled={find.pending} onClick={() => void find.run().then((r) => r && setFound(r))}>
        {find.pending ? t('teacher.discover.searching') : t('teacher.discover.button')}
      </Button>
      <ErrorNote error={find.error ?? save.error} />
      {found?.length === 0 && <p className={`${muted} mt-3`}>{t('teacher.discover.none')}</p>}
      <ul className="mt-3 space-y-2" data-testid="discovered">
        {found?.map((s) => (
          <li key={s.baseUrl} className="rounded-md border border-slate-200 p-2 text-sm dark:border-slate-800">
            <p className="font-medium">
              {s.server} <code className="text-xs font-normal text-slate-500">{s.baseUrl}</code>
            </p>
            <ul className="mt-1 space-y-1">
              {s.models.map((m) => (
                <li key={m.id} className="flex items-center justify-between gap-2">
                  <span className="min-w-0 truncate font-mono text-xs" title={m.id}>
                    {m.id}
                    {m.contextLength !== null && <span className="ml-2 text-slate-500">{t('teacher.discover.context', { n: m.contextLength.toLocaleString() })}</span>}
                  </span>
                  <Button disabled={save.pending} onClick={() => void save.run(s, m.id).then((r) => r && onSaved())}>
                    {t('teacher.discover.use')}
                  </Button>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </Card>
  );
}
