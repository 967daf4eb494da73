import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../app/ui';
import { DiffView } from './monaco/DiffView';
import type { MonacoApi } from './monaco/load';
import { TraceEditor, type CodeEditor } from './monaco/TraceEditor';
import { muted, type Texts } from './types';

export interface ConflictView {
  mine: Texts;
  theirs: Texts;
  merged: Texts & { clean: boolean };
}

const MARKERS = /^(<{7} |={7}$|>{7} |\|{7} )/m;

/**
 * Two versions of one sample, side by side (mine | theirs), and the proposed line merge, editable.
 * Nothing is written until the reviewer keeps mine, takes theirs or uses the merge.
 */
export function ConflictPanel(props: { monaco: MonacoApi; view: ConflictView; title: string; testId?: string; pending: boolean; onResolve: (texts: Texts) => void; onDismiss?: () => void }) {
  const { t } = useTranslation();
  const { monaco, view } = props;
  const [field, setField] = useState<'thinking' | 'answer'>('thinking');
  const merged = useRef<Texts>({ thinking: view.merged.thinking, answer: view.merged.answer });
  const [markers, setMarkers] = useState(MARKERS.test(view.merged.thinking) || MARKERS.test(view.merged.answer));
  const ed = useRef<CodeEditor | null>(null);
  const onEdit = () => {
    const v = ed.current?.getValue();
    if (v === undefined) return;
    merged.current = { ...merged.current, [field]: v };
    setMarkers(MARKERS.test(merged.current.thinking) || MARKERS.test(merged.current.answer));
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" data-testid={props.testId ?? 'conflict'}>
      <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100">
        {props.title}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <div role="group" aria-label={t('review.compare.field')} className="flex gap-1">
          {(['thinking', 'answer'] as const).map((f) => (
            <Button key={f} variant={field === f ? 'primary' : 'secondary'} className="!px-2 !py-1 text-xs" aria-pressed={field === f} onClick={() => setField(f)}>
              {t(`review.editor.${f}`)}
            </Button>
          ))}
        </div>
        <span className={muted}>{t('review.conflict.sides')}</span>
      </div>
      <DiffView monaco={monaco} original={view.mine[field]} modified={view.theirs[field]} label={t('review.conflict.diffLabel')} testId="conflict-diff" className="min-h-40 flex-[2] rounded-md ring-1 ring-slate-200 dark:ring-slate-700" />
      <div className="flex items-center justify-between">
        <h3 className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">{t('review.conflict.merged')}</h3>
        <span className={muted} data-testid="merge-state">
          {markers ? t('review.conflict.markers') : t('review.conflict.clean')}
        </span>
      </div>
      <TraceEditor
        monaco={monaco}
        docKey={`merged:${field}`}
        text={merged.current[field]}
        label={t('review.conflict.merged')}
        testId="merged-editor"
        onEdit={onEdit}
        onReady={(e) => (ed.current = e)}
        className="min-h-24 flex-1 rounded-md ring-1 ring-slate-200 dark:ring-slate-700"
      />
      <div className="flex flex-wrap gap-2">
        <Button disabled={props.pending} onClick={() => props.onResolve(view.mine)}>
          {t('review.conflict.keepMine')}
        </Button>
        <Button disabled={props.pending} onClick={() => props.onResolve(view.theirs)}>
          {t('review.conflict.takeTheirs')}
        </Button>
        <Button variant="primary" disabled={props.pending || markers} title={markers ? t('review.conflict.markers') : undefined} onClick={() => props.onResolve(merged.current)}>
          {t('review.conflict.useMerged')}
        </Button>
        {props.onDismiss && (
          <Button variant="ghost" className="ml-auto" onClick={props.onDismiss}>
            {t('review.conflict.later')}
          </Button>
        )}
      </div>
    </div>
  );
}
