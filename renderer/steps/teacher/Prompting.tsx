import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { toApiError, useApiQuery, type ApiError } from '../../api/hooks';
import { Button, ErrorNote, Field, inputClass } from '../../app/ui';
import { muted } from './types';

type Mode = 'native' | 'prompt' | 'split';
const MODES: readonly Mode[] = ['native', 'prompt', 'split'];

/**
 * A teacher's generation prompt template and how its reasoning is obtained (native, a reasoning prompt that asks
 * it to think inside <think> tags, or split mode). The reasoning prompt starts empty = the default in the question's
 * language; both defaults are shown so that the user can start from one.
 */
export function Prompting({ name, onSaved }: { name: string; onSaved?: () => void }) {
  const { t } = useTranslation();
  const q = useApiQuery(() => api.teacher.prompting.query({ name }), [name]);
  const [template, setTemplate] = useState('');
  const [mode, setMode] = useState<Mode>('native');
  const [rp, setRp] = useState('');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const d = q.data;
  useEffect(() => {
    if (!d) return;
    setTemplate(d.promptTemplate ?? d.defaults.promptTemplate);
    setMode(d.reasoningMode);
    setRp(d.reasoningPrompt ?? '');
  }, [d]);
  if (!d) return <ErrorNote error={q.error} />;

  const save = async () => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api.teacher.setPrompting.mutate({ name, promptTemplate: template === d.defaults.promptTemplate ? null : template, reasoningMode: mode, reasoningPrompt: rp.trim() ? rp : null });
      setSaved(true);
      onSaved?.();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const id = (k: string) => `teacher-${k}-${name.replace(/[^\w-]/g, '_')}`;
  return (
    <div className="mt-3 space-y-3 rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800" data-testid="teacher-prompting">
      <Field label={t('teacherPrompt.template')} htmlFor={id('template')}>
        <textarea id={id('template')} rows={3} className={`${inputClass} font-mono text-xs`} value={template} onChange={(e) => setTemplate(e.target.value)} />
      </Field>
      <p className={muted}>{t('teacherPrompt.templateHelp')}</p>
      {template !== d.defaults.promptTemplate && (
        <Button variant="ghost" onClick={() => setTemplate(d.defaults.promptTemplate)}>
          {t('teacherPrompt.templateDefault')}
        </Button>
      )}
      <fieldset>
        <legend className="text-xs font-medium text-slate-600 dark:text-slate-300">{t('teacherPrompt.mode')}</legend>
        {MODES.map((m) => (
          <label key={m} className="mt-1 flex items-center gap-2">
            <input type="radio" name={id('mode')} value={m} checked={mode === m} onChange={() => setMode(m)} />
            <span>{t(`teacherPrompt.${m}`)}</span>
          </label>
        ))}
      </fieldset>
      {mode === 'prompt' && (
        <div className="space-y-1">
          <Field label={t('teacherPrompt.reasoningPrompt')} htmlFor={id('rp')}>
            <textarea id={id('rp')} rows={3} className={inputClass} value={rp} placeholder={`${d.defaults.reasoningPrompt.en}\n${d.defaults.reasoningPrompt.zh}`} onChange={(e) => setRp(e.target.value)} />
          </Field>
          <p className={muted}>{t('teacherPrompt.reasoningPromptHelp')}</p>
          <div className="flex flex-wrap gap-2">
            <Button variant="ghost" onClick={() => setRp(d.defaults.reasoningPrompt.en)}>
              {t('teacherPrompt.defaultEn')}
            </Button>
            <Button variant="ghost" onClick={() => setRp(d.defaults.reasoningPrompt.zh)}>
              {t('teacherPrompt.defaultZh')}
            </Button>
            {rp && (
              <Button variant="ghost" onClick={() => setRp('')}>
                {t('teacherPrompt.useDefault')}
              </Button>
            )}
          </div>
        </div>
      )}
      <ErrorNote error={error} />
      <div className="flex items-center gap-3">
        <Button variant="primary" disabled={busy} onClick={() => void save()}>
          {busy ? t('teacherPrompt.saving') : t('teacherPrompt.save')}
        </Button>
        {saved && <span className={muted} role="status">{t('teacherPrompt.saved')}</span>}
      </div>
    </div>
  );
}
