import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery, type ApiError } from '../../api/hooks';
import { Button, ErrorNote, Field, inputClass } from '../../app/ui';
import { DiffView } from './monaco/DiffView';
import type { MonacoApi } from './monaco/load';
import { muted, type Proposal, type Texts } from './types';

export interface RegenerateOptions {
  teacher: string;
  maxTokens: number;
  templateDir?: string;
}

/** Regenerate from a step: the teacher (from the registered ones) continues the thinking after the cursor. */
export function RegeneratePanel(props: { projectPath: string; cursor: { line: number; column: number } | null; pending: boolean; error: ApiError | null; onRun: (o: RegenerateOptions) => void }) {
  const { t } = useTranslation();
  const teachers = useApiQuery(() => api.teacher.list.query(), [props.projectPath]);
  const [teacher, setTeacher] = useState('');
  const [maxTokens, setMaxTokens] = useState(1024);
  const [templateDir, setTemplateDir] = useState('');
  const list = teachers.data ?? [];
  useEffect(() => {
    if (!teacher && list[0]) setTeacher(list[0].name);
  }, [teacher, list]);

  return (
    <div className="space-y-3" data-testid="regenerate">
      <p className={muted}>{t('review.regen.help')}</p>
      {list.length === 0 && !teachers.loading ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">{t('review.regen.noTeacher')}</p>
      ) : (
        <>
          <Field label={t('review.regen.teacher')} htmlFor="regen-teacher">
            <select id="regen-teacher" className={inputClass} value={teacher} onChange={(e) => setTeacher(e.target.value)}>
              {list.map((x) => (
                <option key={x.name} value={x.name}>
                  {x.name} — {x.model}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('review.regen.maxTokens')} htmlFor="regen-max">
            <input id="regen-max" type="number" min={1} max={65536} className={inputClass} value={maxTokens} onChange={(e) => setMaxTokens(Math.max(1, Number(e.target.value) || 1))} />
          </Field>
          <Field label={t('review.regen.templateDir')} htmlFor="regen-template">
            <input id="regen-template" className={inputClass} placeholder={t('review.regen.templatePlaceholder')} value={templateDir} onChange={(e) => setTemplateDir(e.target.value)} />
          </Field>
          <p className={muted} data-testid="regen-cursor">
            {props.cursor ? t('review.regen.from', { line: props.cursor.line, column: props.cursor.column }) : t('review.regen.noCursor')}
          </p>
          <Button variant="primary" disabled={!teacher || !props.cursor || props.pending} onClick={() => props.onRun({ teacher, maxTokens, templateDir: templateDir.trim() || undefined })}>
            {props.pending ? t('review.regen.running') : t('review.regen.run')}
          </Button>
        </>
      )}
      <ErrorNote error={props.error ?? teachers.error} />
    </div>
  );
}

/** The teacher's continuation as a proposed change (a diff against the current text): accept saves it, discard drops it. */
export function ProposalPanel(props: { monaco: MonacoApi; current: Texts; proposal: Proposal; pending: boolean; onAccept: (texts: Texts) => void; onDiscard: () => void }) {
  const { t, i18n } = useTranslation();
  const { proposal: p } = props;
  const [field, setField] = useState<'thinking' | 'answer'>('thinking');
  // A model that did not close its thinking wrote no answer: the current answer stays.
  const next: Texts = { thinking: p.thinking, answer: p.closed ? p.answer : props.current.answer };
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" data-testid="proposal">
      <div className="rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-100">
        {t('review.regen.proposal', { model: p.model, tokens: (p.completionTokens ?? 0).toLocaleString(i18n.language), reason: p.finishReason ?? '—' })}
        {!p.closed && <span className="ml-1 font-medium">{t('review.regen.notClosed')}</span>}
      </div>
      <div role="group" aria-label={t('review.compare.field')} className="flex gap-1">
        {(['thinking', 'answer'] as const).map((f) => (
          <Button key={f} variant={field === f ? 'primary' : 'secondary'} className="!px-2 !py-1 text-xs" aria-pressed={field === f} onClick={() => setField(f)}>
            {t(`review.editor.${f}`)}
          </Button>
        ))}
      </div>
      <DiffView monaco={props.monaco} original={props.current[field]} modified={next[field]} label={t('review.regen.diffLabel')} testId="proposal-diff" className="flex-1 rounded-md ring-1 ring-slate-200 dark:ring-slate-700" />
      <div className="flex gap-2">
        <Button variant="primary" disabled={props.pending} onClick={() => props.onAccept(next)}>
          {t('review.regen.accept')}
        </Button>
        <Button disabled={props.pending} onClick={props.onDiscard}>
          {t('review.regen.discard')}
        </Button>
      </div>
    </div>
  );
}
