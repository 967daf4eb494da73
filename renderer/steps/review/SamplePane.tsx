import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation } from '../../api/hooks';
import { ErrorBoundary } from '../../app/ErrorBoundary';
import { Markdown } from '../../app/markdown';
import { ComparePanel } from './ComparePanel';
import { ConflictPanel } from './ConflictPanel';
import { DecisionBar } from './DecisionBar';
import { Editors } from './Editors';
import { REVIEW_KEYS, type ReviewAction } from './keys';
import type { MonacoApi } from './monaco/load';
import type { CodeEditor, EditorCommand } from './monaco/TraceEditor';
import { Provenance } from './Provenance';
import { ProposalPanel, type RegenerateOptions } from './Regenerate';
import { SaveErrorNote, SaveIndicator } from './SaveIndicator';
import { SidePanel, type SideTab } from './SidePanel';
import { CLIENT_ID, muted, type Proposal, type Texts } from './types';
import type { useSession } from './useSession';
import { useTokens } from './useTokens';

export type { SideTab };

/** The open sample: question, decision bar, the editors (or a diff, a proposal, a conflict) and the side panel. */
export const SamplePane = memo(function SamplePane(props: {
  monaco: MonacoApi;
  session: ReturnType<typeof useSession>;
  author: string;
  projectPath: string;
  tab: SideTab;
  onTab: (t: SideTab) => void;
  onAction: (a: ReviewAction) => void;
  decisionPending: boolean;
}) {
  const { t } = useTranslation();
  const { monaco, session, tab } = props;
  const { autosave } = session;
  const cur = session.current!;
  const s = cur.sample;
  // What follows the text in the editors (the preview, a comparison, a proposal) is kept with the text it
  // belongs to (`doc`): another sample or a text replaced from outside shows its own at once, in the same
  // render (no effect that clears them and renders the pane again).
  const doc = `${s.traceId}:${cur.seq}`;
  const docRef = useRef(doc);
  docRef.current = doc;
  const [compareOf, setCompareOf] = useState<{ doc: string; n: number; texts: Texts } | null>(null);
  const [proposalOf, setProposalOf] = useState<{ doc: string; p: Proposal } | null>(null);
  const [previewOf, setPreviewOf] = useState<{ doc: string; texts: Texts } | null>(null);
  const compare = compareOf?.doc === doc ? compareOf : null;
  const proposal = proposalOf?.doc === doc ? proposalOf.p : null;
  const setCompare = (c: { n: number; texts: Texts } | null) => setCompareOf(c && { doc, ...c });
  const setProposal = (p: Proposal | null, at = doc) => setProposalOf(p && { doc: at, p });
  // The sample's own texts, as they were when it was shown (its later saves do not change the preview's input).
  const shownTexts = useMemo(() => ({ thinking: s.thinking, answer: s.answer }), [doc]);
  const preview = previewOf?.doc === doc ? previewOf.texts : shownTexts;
  const [cursor, setCursor] = useState<{ line: number; column: number } | null>(null);
  const [commitPending, setCommitPending] = useState(false);
  const previewTimer = useRef<number | null>(null);
  const regen = useApiMutation((offset: number, o: RegenerateOptions) => api.review.regenerate.mutate({ traceId: s.traceId, offset, ...o }));
  const undo = useApiMutation(() => api.review.undo.mutate({ traceId: s.traceId, author: props.author, clientId: CLIENT_ID }));
  const readField = useCallback((f: 'thinking' | 'answer') => session.editors.current[f]?.getValue() ?? null, [session.editors]);
  const { tokens, edited } = useTokens(s, cur.seq, readField);

  // A new text in the editors (another sample, undo, a resolution): a regeneration's error belongs to the old one.
  const regenError = regen.error !== null;
  useEffect(() => {
    if (regenError) regen.reset();
    // Only on a new text.
  }, [doc]);

  const onEdit = useCallback(
    (f: 'thinking' | 'answer') => {
      autosave.edit();
      edited(f);
      if (previewTimer.current !== null) window.clearTimeout(previewTimer.current);
      previewTimer.current = window.setTimeout(() => {
        const texts = session.read();
        if (texts) setPreviewOf({ doc: docRef.current, texts });
      }, 600);
    },
    [autosave, edited, session],
  );

  // The cursor in the thinking is followed only while the Regenerate tab shows it (no work per keystroke otherwise).
  useEffect(() => {
    const ed = session.editors.current.thinking;
    if (tab !== 'regenerate' || !ed) return;
    const at = () => {
      const p = ed.getPosition();
      setCursor(p ? { line: p.lineNumber, column: p.column } : null);
    };
    at();
    const sub = ed.onDidChangeCursorPosition(at);
    return () => sub.dispose();
  }, [tab, session.editors, cur.seq]);

  const runRegenerate = async (o: RegenerateOptions) => {
    const ed = session.editors.current.thinking;
    const model = ed?.getModel();
    const pos = ed?.getPosition();
    if (!ed || !model || !pos) return;
    const offset = model.getOffsetAt(pos);
    const at = doc;
    if (!(await autosave.flush())) return;
    const p = await regen.run(offset, o);
    if (p) setProposal(p, at);
  };

  const commit = async (texts: Texts, how: 'regenerate' | 'resolve', base?: number) => {
    setCommitPending(true);
    try {
      if (await autosave.commit(texts, how, base)) {
        session.show({ ...session.current!.sample, ...texts, head: autosave.head() });
        return true;
      }
      return false;
    } finally {
      setCommitPending(false);
    }
  };

  const acceptProposal = async (texts: Texts) => {
    if (await commit(texts, 'regenerate')) setProposal(null);
  };

  const doUndo = async () => {
    if (!(await autosave.flush())) return;
    if (await undo.run()) await session.reload();
  };

  const { onAction } = props;
  // The review keys, as Alt+letter in the editors; Regenerate also in the thinking's context menu.
  const commands: EditorCommand[] = useMemo(
    () =>
      REVIEW_KEYS.map(({ key, action }) =>
        action === 'regenerate'
          ? { id: action, key, label: t('review.actions.regenerateHere'), run: () => onAction(action), menu: true }
          : { id: action, key, label: t(`review.actions.${action}`), run: () => onAction(action) },
      ),
    [t, onAction],
  );
  const onEditor = useCallback((f: 'thinking' | 'answer', ed: CodeEditor | null) => {
    session.editors.current[f] = ed;
  }, [session.editors]);

  const conflict = autosave.conflict;
  const mode = conflict ? 'conflict' : proposal ? 'proposal' : compare ? 'compare' : 'edit';

  return (
    <div className="grid min-h-0 flex-1 gap-4 xl:grid-cols-[minmax(0,1fr)_19rem]" data-testid="sample" data-trace={s.traceId} data-doc={`${s.traceId}:${cur.seq}`}>
      <div className="flex min-h-0 min-w-0 flex-col gap-2">
        <DecisionBar
          sample={s}
          saved={<SaveIndicator store={autosave.store} error={autosave.error?.message ?? null} />}
          decisionPending={props.decisionPending}
          onAction={props.onAction}
          canCompare={mode === 'edit'}
          onCompare={() => setCompare({ n: 0, texts: session.read() ?? s })}
        />
        <details className="rounded-md bg-slate-50 px-3 py-2 dark:bg-slate-800/60" open>
          <summary className="cursor-pointer text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-300">{t('review.question')}</summary>
          <div className="mt-1 max-h-32 overflow-y-auto" data-testid="question">
            <ErrorBoundary name="review-question" resetKey={doc}>
              <Markdown text={s.question} />
            </ErrorBoundary>
            {s.reference !== null && <p className={`mt-1 ${muted}`}>{t('review.reference', { answer: s.reference })}</p>}
          </div>
        </details>
        <Provenance questionId={s.questionId} />
        {mode === 'conflict' && conflict && (
          <ConflictPanel
            key={conflict.theirs.n}
            monaco={monaco}
            view={conflict}
            title={t('review.conflict.title', { author: conflict.theirs.author ?? '—', n: conflict.theirs.n, at: new Date(conflict.theirs.at).toLocaleString() })}
            pending={commitPending}
            onResolve={(texts) => void commit(texts, 'resolve', conflict.theirs.n)}
          />
        )}
        {mode === 'proposal' && proposal && (
          <ProposalPanel
            monaco={monaco}
            current={session.read() ?? s}
            proposal={proposal}
            pending={commitPending}
            onAccept={(texts) => void acceptProposal(texts)}
            onDiscard={() => setProposal(null)}
          />
        )}
        {mode === 'compare' && compare && <ComparePanel key={compare.n} monaco={monaco} sample={s} current={compare.texts} initial={compare.n} onClose={() => setCompare(null)} />}
        <div className={mode === 'edit' ? 'flex min-h-0 flex-1 flex-col' : 'hidden'}>
          <Editors monaco={monaco} doc={doc} texts={shownTexts} tokens={tokens} commands={commands} onEdit={onEdit} onEditor={onEditor} />
        </div>
        <SaveErrorNote store={autosave.store} error={autosave.error} />
      </div>
      <SidePanel
        tab={tab}
        onTab={props.onTab}
        sample={s}
        doc={doc}
        preview={preview}
        projectPath={props.projectPath}
        undo={{ pending: undo.pending, error: undo.error, run: () => void doUndo() }}
        onCompare={(n) => setCompare({ n, texts: session.read() ?? s })}
        regenerate={{ cursor, pending: regen.pending, error: regen.error, run: (o) => void runRegenerate(o) }}
      />
    </div>
  );
});
