import 'katex/dist/katex.min.css';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { Markdown } from '../../app/markdown';
import { ErrorNote } from '../../app/ui';
import { PseudoLabel } from '../questions/PseudoLabel';
import { SourceChunk } from '../questions/SourceChunk';
import { Attempt } from './Attempt';
import { muted, type Verdict } from './types';

/** Every attempt at one question, newest first, with their verdicts. `rawToggle` changes when r is pressed. */
export function QuestionDetail({ questionId, question, teacher, verKey, rawToggle }: { questionId: number; question: string; teacher: string; verKey: string; rawToggle: number }) {
  const { t } = useTranslation();
  const rows = useApiQuery(() => api.teacher.traces.query({ questionId, teacher: teacher || undefined, offset: 0, limit: 100 }), [questionId, teacher]);
  const ids = rows.data?.rows.map((r) => r.id) ?? [];
  const verdicts = useApiQuery(() => (ids.length ? api.verification.forTraces.query({ traceIds: ids }) : Promise.resolve([] as Verdict[])), [ids, verKey]);
  const byTrace = new Map((verdicts.data ?? []).map((v) => [v.traceId, v]));
  const [raw, setRaw] = useState<Set<number>>(new Set());
  const first = useRef(rawToggle);
  const toggle = (id: number) =>
    setRaw((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  useEffect(() => {
    if (rawToggle === first.current) return;
    first.current = rawToggle;
    const id = rows.data?.rows[0]?.id;
    if (id !== undefined) toggle(id);
  }, [rawToggle, rows.data]);

  return (
    <div data-testid="question-detail" className="space-y-3">
      <div>
        <h3 className="text-xs font-semibold text-slate-600 uppercase dark:text-slate-400">
          {t('traces.view.question')} <span className="tabular-nums">#{questionId}</span>
        </h3>
        <Markdown text={question} className="mt-1" testId="question-text" />
        <PseudoLabel questionId={questionId} />
        <SourceChunk questionId={questionId} />
      </div>
      <ErrorNote error={rows.error} />
      {rows.data?.rows.length === 0 && <p className={`${muted} text-sm`}>{t('traces.view.noAttempts')}</p>}
      {rows.data?.rows.map((r) => <Attempt key={r.id} row={r} verdict={byTrace.get(r.id)} showRaw={raw.has(r.id)} onToggleRaw={() => toggle(r.id)} />)}
    </div>
  );
}
