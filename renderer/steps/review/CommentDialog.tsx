import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation } from '../../api/hooks';
import { Dialog } from '../../app/Dialog';
import { Button, ErrorNote, inputClass } from '../../app/ui';
import { muted, type Reasons, type Status } from './types';

/**
 * C: a comment on the sample, with the project's reasons one click (or digit) away, saved with a
 * decision. The reasons list itself is edited here too (one per line) and kept in the project.
 */
export function CommentDialog(props: { status: Status; comment: string | null; reasons: Reasons | undefined; onReasons: (r: Reasons) => void; onSave: (status: Status, comment: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(props.comment ?? '');
  const [editing, setEditing] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const reasons = props.reasons ?? { reject: [], needsWork: [] };
  const all = [...reasons.reject.map((r) => ({ r, s: 'rejected' as const })), ...reasons.needsWork.map((r) => ({ r, s: 'needs_work' as const }))];
  const [draft, setDraft] = useState({ reject: reasons.reject.join('\n'), needsWork: reasons.needsWork.join('\n') });
  const save = useApiMutation((r: Reasons) => api.review.setReasons.mutate(r));

  const pick = (reason: string) => setText((cur) => (cur.trim() ? `${reason}. ${cur}` : reason));
  const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);
  const saveReasons = async () => {
    const r = await save.run({ reject: lines(draft.reject), needsWork: lines(draft.needsWork) });
    if (r) props.onReasons(r);
  };

  return (
    <Dialog
      labelledBy="comment-title"
      testId="comment-dialog"
      onClose={props.onClose}
      initialFocus={area}
      className="max-w-xl"
      onKeyDown={(e) => {
        const n = Number(e.key);
        if (e.altKey && n >= 1 && n <= all.length) {
          e.preventDefault();
          pick(all[n - 1]!.r);
        }
      }}
    >
      <h2 id="comment-title" className="mb-3 text-lg font-semibold">
        {t('review.comment.title')}
      </h2>
      <div className="mb-2 flex flex-wrap gap-1.5" data-testid="reasons">
        {all.map((x, i) => (
          <button
            key={`${x.s}:${x.r}`}
            type="button"
            onClick={() => pick(x.r)}
            className={`rounded-full px-2 py-0.5 text-xs ring-1 ${x.s === 'rejected' ? 'ring-rose-300 text-rose-800 dark:text-rose-200' : 'ring-amber-300 text-amber-800 dark:text-amber-200'}`}
            title={t('review.comment.pickKey', { n: i + 1 })}
          >
            {i < 9 ? `${i + 1}. ` : ''}
            {x.r}
          </button>
        ))}
      </div>
      <textarea ref={area} aria-label={t('review.comment.text')} className={`${inputClass} h-24`} value={text} onChange={(e) => setText(e.target.value)} />
      <p className={`mt-1 ${muted}`}>{t('review.comment.hint')}</p>
      <div className="mt-4 flex flex-wrap gap-2">
        <Button variant="danger" onClick={() => props.onSave('rejected', text)}>
          {t('review.comment.reject')}
        </Button>
        <Button onClick={() => props.onSave('needs_work', text)}>{t('review.comment.needsWork')}</Button>
        <Button onClick={() => props.onSave('accepted', text)}>{t('review.comment.accept')}</Button>
        <Button variant="primary" onClick={() => props.onSave(props.status, text)}>
          {t('review.comment.keep', { status: t(`review.status.${props.status}`) })}
        </Button>
        <Button variant="ghost" className="ml-auto" onClick={props.onClose}>
          {t('review.comment.cancel')}
        </Button>
      </div>
      <details className="mt-4" open={editing} onToggle={(e) => setEditing((e.target as HTMLDetailsElement).open)}>
        <summary className="cursor-pointer text-sm font-medium text-slate-700 dark:text-slate-200">{t('review.comment.editReasons')}</summary>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          <label className="text-xs text-slate-600 dark:text-slate-300">
            {t('review.comment.rejectReasons')}
            <textarea className={`${inputClass} mt-1 h-28`} value={draft.reject} onChange={(e) => setDraft({ ...draft, reject: e.target.value })} />
          </label>
          <label className="text-xs text-slate-600 dark:text-slate-300">
            {t('review.comment.needsWorkReasons')}
            <textarea className={`${inputClass} mt-1 h-28`} value={draft.needsWork} onChange={(e) => setDraft({ ...draft, needsWork: e.target.value })} />
          </label>
        </div>
        <Button
          className="mt-2"
          disabled={save.pending}
          onClick={() => void saveReasons()}
        >
          {t('review.comment.saveReasons')}
        </Button>
        <ErrorNote error={save.error} />
      </details>
    </Dialog>
  );
}
