import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../app/ui';
import { StatusPill, VerdictMark } from './badges';
import type { ReviewAction } from './keys';
import { muted, type Sample } from './types';

type Variant = 'primary' | 'danger' | 'secondary' | 'ghost';

/** The toolbar's actions in order: each with its key; the three decisions wait while one is saved. */
const ACTIONS: { action: ReviewAction; key: string; variant: Variant; decision?: boolean }[] = [
  { action: 'accept', key: 'A', variant: 'primary', decision: true },
  { action: 'reject', key: 'R', variant: 'danger', decision: true },
  { action: 'needsWork', key: 'N', variant: 'secondary', decision: true },
  { action: 'comment', key: 'C', variant: 'secondary' },
  { action: 'previous', key: 'K', variant: 'ghost' },
  { action: 'next', key: 'J', variant: 'ghost' },
];

const tool = '!px-2 !py-1 text-xs';

/** Above the editors: the sample's status and origin, the save state, its comment, and the decision toolbar. */
export function DecisionBar({ sample: s, saved, decisionPending, onAction, canCompare, onCompare }: { sample: Sample; saved: ReactNode; decisionPending: boolean; onAction: (a: ReviewAction) => void; canCompare: boolean; onCompare: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="flex flex-wrap items-center gap-2">
        <StatusPill status={s.status} />
        <VerdictMark verdict={s.verdict?.equivalent ?? null} full={s.verdict} />
        <span className={`${muted} font-mono`}>#{s.questionId}</span>
        <span className={muted}>{s.domain ?? '—'}</span>
        <span className={muted}>{s.teacher ?? s.source}</span>
        {s.reviewer && <span className={muted}>· {s.reviewer}</span>}
        <span className="ml-auto">{saved}</span>
      </div>
      {s.comment && (
        <p className="truncate text-xs text-slate-600 dark:text-slate-300" data-testid="sample-comment" title={s.comment}>
          💬 {s.comment}
        </p>
      )}
      <div className="flex flex-wrap gap-1.5" role="toolbar" aria-label={t('review.decide')}>
        {ACTIONS.map((a) => (
          <Button key={a.action} variant={a.variant} className={tool} disabled={a.decision && decisionPending} onClick={() => onAction(a.action)}>
            {t(`review.actions.${a.action}`)}
            <kbd className="ml-1 rounded border border-current/30 px-1 font-mono text-[10px] opacity-70">{a.key}</kbd>
          </Button>
        ))}
        <Button variant="ghost" className={`${tool} ml-auto`} disabled={!canCompare} onClick={onCompare}>
          {t('review.compare.open')}
        </Button>
      </div>
    </>
  );
}
