import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { muted, pill, type LocalServer } from './types';
import { useLocalServers } from './useLocalServers';

type State = 'starting' | 'running' | 'onDemand';

const CLASS: Record<State, string> = {
  starting: 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100',
  running: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100',
  onDemand: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200',
};

/** The state of a local teacher's server for `dir` among the running ones. */
export function localState(servers: readonly LocalServer[], dir: string, busy: boolean): State {
  const mine = servers.filter((s) => s.modelDir === dir);
  if (mine.some((s) => s.status === 'ready')) return 'running';
  if (busy || mine.some((s) => s.status === 'starting')) return 'starting';
  return 'onDemand';
}

/**
 * A local teacher's model folder and its server: "starting…" while Generate, Test or Evaluate start it on
 * demand, "running" once it answers, "starts when used" otherwise. `onBack` runs when it comes back up, so
 * the card can drop a failure that no longer holds.
 */
export function LocalBadge({ dir, busy, onBack }: { dir: string; busy: boolean; onBack: () => void }) {
  const { t } = useTranslation();
  const servers = useLocalServers(1000);
  const state = localState(servers, dir, busy);
  const prev = useRef<State>(state);
  const back = useRef(onBack);
  back.current = onBack;

  useEffect(() => {
    if (state === 'running' && prev.current !== 'running') back.current();
    prev.current = state;
  }, [state]);

  return (
    <p className={`${muted} mt-1 flex min-w-0 flex-wrap items-center gap-2`}>
      <span data-testid="local-teacher-state" data-state={state} className={`${pill} ${CLASS[state]}`}>
        {t(`teacher.localCard.${state}`)}
      </span>
      <span className="truncate font-mono" title={dir}>
        {t('teacher.localCard.folder')}: {dir}
      </span>
    </p>
  );
}
