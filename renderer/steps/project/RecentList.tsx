import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, Card, ErrorNote } from '../../app/ui';

export function RecentList({ onOpen }: { onOpen: (dir: string) => void }) {
  const { t } = useTranslation();
  const recent = useApiQuery(() => api.project.recent.query(), []);
  const forget = useApiMutation((dir: string) => api.project.forget.mutate({ dir }));
  const list = recent.data ?? [];
  return (
    <Card title={t('picker.recent.title')} labelId="recent-title">
      <ErrorNote error={recent.error ?? forget.error} />
      {list.length === 0 && !recent.loading && <p className="text-sm text-slate-500 dark:text-slate-400">{t('picker.recent.empty')}</p>}
      <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="recent-list">
        {list.map((r) => (
          <li key={r.path} className="flex items-center justify-between gap-3 py-2">
            <div className="min-w-0">
              <p className="truncate text-sm font-medium">{r.name}</p>
              <p className="truncate font-mono text-xs text-slate-500 dark:text-slate-400" title={r.path}>
                {r.path}
              </p>
            </div>
            <div className="flex shrink-0 gap-2">
              <Button onClick={() => onOpen(r.path)}>{t('picker.recent.open')}</Button>
              <Button
                variant="ghost"
                aria-label={t('picker.recent.forgetLabel', { name: r.name })}
                onClick={() =>
                  void forget.run(r.path).then((l) => {
                    if (l) void recent.refetch();
                  })
                }
              >
                {t('picker.recent.forget')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}
