import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { action, toApiError, useApiMutation, useApiQuery, type ApiError } from '../../api/hooks';
import { ErrorBoundary } from '../../app/ErrorBoundary';
import { Button, ErrorNote, inputClass } from '../../app/ui';
import { CommentDialog } from './CommentDialog';
import { ReviewHelp, useReviewKeys, type ReviewAction } from './keys';
import { loadMonaco, type MonacoApi } from './monaco/load';
import { QueuePanel } from './QueuePanel';
import { SamplePane, type SideTab } from './SamplePane';
import { ShareDialog } from './ShareDialog';
import { collapsedPane, SidePanelToggle, useSidePanel } from './SidePanelToggle';
import { muted, saveReviewer, savedReviewer, type Reasons, type Status } from './types';
import { useQueue, type QueueFilter } from './useQueue';
import { useSession } from './useSession';

const STATUS_OF: Partial<Record<ReviewAction, Status>> = { accept: 'accepted', reject: 'rejected', needsWork: 'needs_work' };

/** The review workspace: the queue on the left, the open sample in Monaco, its side panel (collapsible); keyboard first. */
export function Workspace({ projectPath }: { projectPath: string }) {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<QueueFilter>({});
  const queue = useQueue(filter);
  const [author, setAuthor] = useState(savedReviewer);
  const session = useSession(queue, author);
  const [monaco, setMonaco] = useState<MonacoApi | null>(null);
  const [monacoError, setMonacoError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [help, setHelp] = useState(false);
  const [comment, setComment] = useState(false);
  const [share, setShare] = useState<'export' | 'bundle' | null>(null);
  const [tab, setTab] = useState<SideTab>('preview');
  const [autoNext, setAutoNext] = useState(true);
  // The side panel collapses so the editor gets the width on 1280–1440 px screens (remembered).
  const side = useSidePanel(!help && !comment && !share);
  const reasonsQ = useApiQuery(() => api.review.reasons.query(), [projectPath]);
  const [reasons, setReasons] = useState<Reasons | undefined>(undefined);
  const decide = useApiMutation((traceIds: number[], status: Status, note?: string) => api.review.setStatus.mutate({ traceIds, status, reviewer: author, comment: note }));
  const selectAll = useApiMutation(async () => {
    const ids: number[] = [];
    const n = queue.filtered ?? 0;
    for (let off = 0; off < n; off += 1000) ids.push(...(await api.review.queue.query({ ...filter, offset: off, limit: 1000 })).rows.map((r) => r.traceId));
    return ids;
  });

  useEffect(() => {
    loadMonaco().then(setMonaco, (e: unknown) => setMonacoError(toApiError(e)));
  }, []);

  const decideCurrent = useCallback(
    async (status: Status, note?: string) => {
      const c = session.current;
      if (!c || !(await session.autosave.flush())) return;
      const r = await decide.run([c.sample.traceId], status, note);
      if (!r) return;
      const at = new Date().toISOString();
      queue.patch([c.sample.traceId], (row) => ({ ...row, status, reviewer: author, comment: note ?? row.comment, updatedAt: at }));
      session.patch({ status, reviewer: author, comment: note ?? c.sample.comment, updatedAt: at });
      void queue.refreshCounts();
      if (autoNext) session.move(1);
    },
    [session, decide, queue, author, autoNext],
  );

  const bulk = async (status: Status) => {
    const ids = [...selected];
    if (!ids.length || !(await session.autosave.flush())) return;
    if (!(await decide.run(ids, status))) return;
    queue.patch(ids, (row) => ({ ...row, status, reviewer: author }));
    session.forget(ids);
    if (session.current && selected.has(session.current.sample.traceId)) session.patch({ status, reviewer: author });
    setSelected(new Set());
    void queue.refreshCounts();
  };

  const runNow = (a: ReviewAction) => {
    const status = STATUS_OF[a];
    if (status) void decideCurrent(status);
    else if (a === 'comment') setComment(true);
    else if (a === 'next') session.move(1);
    else if (a === 'previous') session.move(-1);
    else if (a === 'regenerate') {
      setTab('regenerate');
      side.setCollapsed(false);
    }
  };
  // One stable function for the panes (so a filter change does not re-render the editors' pane).
  const runRef = useRef(runNow);
  runRef.current = runNow;
  const run = useCallback((a: ReviewAction) => runRef.current(a), []);
  // The queue's callbacks too (the list re-renders only when what it shows changed).
  const onOpen = useCallback((i: number) => void session.open(i), [session.open]);
  const bulkRef = useRef(bulk);
  bulkRef.current = bulk;
  const onBulk = useCallback((s: Status) => void bulkRef.current(s), []);
  const selectAllRef = useRef(selectAll.run);
  selectAllRef.current = selectAll.run;
  const onSelectAll = useCallback(async () => {
    const ids = await selectAllRef.current();
    if (ids) setSelected(new Set(ids));
  }, []);
  useReviewKeys(!help && !comment && !share, run, () => setHelp(true));

  const counts = queue.meta?.counts;
  const nf = (n: number) => n.toLocaleString(i18n.language);
  const empty = counts && counts.total === 0;

  return (
    <div className="flex h-[calc(100dvh-11.5rem)] min-h-[36rem] flex-col gap-3">
      {/* One row at 1280 px: the breakdown gives way (cut, whole in its tooltip); every control keeps its size. */}
      <div className="flex items-center gap-x-2 whitespace-nowrap 2xl:gap-x-3 [&>*]:shrink-0" data-testid="review-toolbar">
        {counts && (
          <div className="flex min-w-0 !shrink items-center gap-2 overflow-hidden" data-testid="progress">
            <div className="h-2 w-16 shrink-0 overflow-hidden rounded-full xl:w-40 bg-slate-200 dark:bg-slate-700" role="progressbar" aria-valuemin={0} aria-valuemax={counts.total} aria-valuenow={counts.reviewed} aria-label={t('review.progressLabel')}>
              <div className="h-full bg-indigo-600" style={{ width: `${counts.total ? (100 * counts.reviewed) / counts.total : 0}%` }} />
            </div>
            <span className="shrink-0 text-sm font-medium tabular-nums" data-testid="reviewed-label">
              {t('review.progress', { reviewed: nf(counts.reviewed), total: nf(counts.total) })}
            </span>
            <span className={`${muted} min-w-0 truncate`} title={t('review.breakdown', { accepted: nf(counts.accepted), rejected: nf(counts.rejected), needsWork: nf(counts.needsWork) })}>
              {t('review.breakdown', { accepted: nf(counts.accepted), rejected: nf(counts.rejected), needsWork: nf(counts.needsWork) })}
            </span>
          </div>
        )}
        <select aria-label={t('review.scope.label')} className={`${inputClass} !w-auto !py-1 text-xs`} value={filter.scope ?? counts?.scope ?? 'selection'} onChange={(e) => setFilter({ ...filter, scope: e.target.value as 'selection' | 'pool' })}>
          <option value="selection">{t('review.scope.selection')}</option>
          <option value="pool">{t('review.scope.pool')}</option>
        </select>
        <label className="flex items-center gap-1.5 text-xs">
          <span className={`${muted} hidden 2xl:inline`}>{t('review.reviewer')}</span>
          <input
            className={`${inputClass} !w-28 !py-1 text-xs`}
            aria-label={t('review.reviewer')}
            value={author}
            onChange={(e) => setAuthor(e.target.value)}
            onBlur={() => {
              const name = author.trim() || 'reviewer';
              setAuthor(name);
              saveReviewer(name);
            }}
          />
        </label>
        <label className="flex items-center gap-1.5 text-xs" title={t('review.autoNext')}>
          <input type="checkbox" className="accent-indigo-600" checked={autoNext} onChange={(e) => setAutoNext(e.target.checked)} aria-label={t('review.autoNext')} />
          <span className="2xl:hidden">{t('review.autoNextShort')}</span>
          <span className="hidden 2xl:inline">{t('review.autoNext')}</span>
        </label>
        <div className="ml-auto flex gap-2">
          {!empty && <SidePanelToggle collapsed={side.collapsed} onToggle={side.toggle} />}
          <Button className="!py-1 text-xs" onClick={() => setShare('bundle')}>
            {t('review.bundle.button')}
          </Button>
          <Button className="!py-1 text-xs" onClick={() => setShare('export')}>
            {t('review.export.button')}
          </Button>
          <Button variant="ghost" className="!py-1" aria-label={t('review.help.button')} onClick={() => setHelp(true)}>
            ?
          </Button>
        </div>
      </div>
      {filter.scope === 'pool' && (
        <p className="text-xs text-amber-800 dark:text-amber-200" data-testid="outside-selection-note">
          {t('review.scope.outsideNote')}
        </p>
      )}
      <ErrorNote error={queue.error ?? monacoError ?? session.loadError ?? decide.error ?? selectAll.error} />
      {empty ? (
        <div className="rounded-xl border border-slate-200 bg-white p-5 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300" data-testid="queue-empty">
          {counts.scope === 'selection' ? t('review.emptySelection') : t('review.emptyPool')}
        </div>
      ) : (
        <div className="grid min-h-0 flex-1 gap-4 lg:grid-cols-[18rem_minmax(0,1fr)]">
          <ErrorBoundary name="review-queue">
            <QueuePanel
              queue={queue}
              filter={filter}
              onFilter={setFilter}
              cursor={session.current ? queue.indexOf(session.current.sample.traceId) : -1}
              currentTrace={session.current?.sample.traceId ?? null}
              onOpen={onOpen}
              selected={selected}
              onSelect={setSelected}
              onBulk={onBulk}
              onSelectAll={action(onSelectAll)}
              bulkPending={decide.pending || selectAll.pending}
            />
          </ErrorBoundary>
          <div className={`flex min-h-0 min-w-0 flex-col ${side.collapsed ? collapsedPane : ''}`} data-side={side.collapsed ? 'collapsed' : 'open'}>
            {session.current && monaco ? (
              // One sample that cannot be shown stays in its pane: the queue, the keys (J/K) and "Next sample" move on.
              <ErrorBoundary name="review-sample" resetKey={session.current.sample.traceId} onSkip={() => run('next')} skipLabel={t('safe.boundary.nextSample')}>
                <SamplePane monaco={monaco} session={session} author={author} projectPath={projectPath} tab={tab} onTab={setTab} onAction={run} decisionPending={decide.pending} />
              </ErrorBoundary>
            ) : (
              <p className={muted}>{monacoError ? t('review.editorFailed') : t('review.loading')}</p>
            )}
          </div>
        </div>
      )}
      {help && <ReviewHelp onClose={() => setHelp(false)} />}
      {comment && session.current && (
        <CommentDialog
          status={session.current.sample.status}
          comment={session.current.sample.comment}
          reasons={reasons ?? reasonsQ.data}
          onReasons={setReasons}
          onClose={() => setComment(false)}
          onSave={(status, note) => {
            setComment(false);
            void decideCurrent(status, note);
          }}
        />
      )}
      {share && (
        <ShareDialog
          tab={share}
          onTab={setShare}
          monaco={monaco}
          projectPath={projectPath}
          selected={[...selected]}
          author={author}
          onChanged={() => {
            session.forget();
            void queue.reload();
            void session.reload();
          }}
          onClose={() => setShare(null)}
        />
      )}
    </div>
  );
}
