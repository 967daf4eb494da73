import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { toApiError, useApiMutation, type ApiError } from '../../api/hooks';
import { Button, Card, ErrorNote, Field, inputClass } from '../../app/ui';
import { muted, type Preset, type PublicTeacher, type TeacherSave } from './types';

type KeySource = 'none' | 'keep' | 'store' | 'env';

/** Adds a teacher or edits one. The stored key is never shown: only where it comes from. */
export function TeacherForm({
  presets,
  editing,
  draft,
  onSaved,
  onCancel,
}: {
  presets: Preset[];
  editing: PublicTeacher | null;
  draft: Partial<TeacherSave> | null;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const init = editing ?? draft;
  const [preset, setPreset] = useState(init?.preset ?? '');
  const [name, setName] = useState(init?.name ?? '');
  const [urls, setUrls] = useState<string[]>(init?.baseUrls?.length ? init.baseUrls : ['']);
  const [model, setModel] = useState(init?.model ?? '');
  const [models, setModels] = useState<string[] | null>(null);
  const [modelsError, setModelsError] = useState<ApiError | null>(null);
  const [keySource, setKeySource] = useState<KeySource>(editing ? (editing.key === 'none' ? 'none' : editing.key === 'stored' ? 'keep' : 'env') : 'none');
  const [apiKey, setApiKey] = useState('');
  const [keyEnv, setKeyEnv] = useState(editing && typeof editing.key === 'object' ? editing.key.env : '');
  const [headers, setHeaders] = useState<[string, string][]>(Object.entries(init?.headers ?? {}));
  const [system, setSystem] = useState(init?.systemPrompt ?? '');
  const [priceIn, setPriceIn] = useState(init?.priceInput?.toString() ?? '');
  const [priceOut, setPriceOut] = useState(init?.priceOutput?.toString() ?? '');
  const save = useApiMutation((input: TeacherSave) => api.teacher.save.mutate(input));

  const choosePreset = (id: string) => {
    setPreset(id);
    const p = presets.find((x) => x.id === id);
    if (p) {
      setUrls((u) => [p.baseUrl, ...u.slice(1)]);
      if (p.needsKey && keySource === 'none') setKeySource('store');
    }
  };
  const listModels = async () => {
    setModelsError(null);
    try {
      const list = await api.teacher.models.query({ baseUrl: urls[0]?.trim() ?? '' });
      setModels(list.map((m) => m.id));
      if (list.length === 1 && list[0] && !model) setModel(list[0].id);
    } catch (e) {
      setModelsError(toApiError(e));
    }
  };
  const submit = async () => {
    const num = (s: string) => (s.trim() === '' ? null : Number(s));
    const input: TeacherSave = {
      name: name.trim(),
      preset: preset || null,
      baseUrls: urls.map((u) => u.trim()).filter(Boolean),
      model: model.trim(),
      headers: Object.fromEntries(headers.filter(([k]) => k.trim()).map(([k, v]) => [k.trim(), v])),
      systemPrompt: system.trim() ? system : null,
      priceInput: num(priceIn),
      priceOutput: num(priceOut),
    };
    if (keySource === 'store' && apiKey) input.apiKey = apiKey;
    if (keySource === 'env') input.keyEnv = keyEnv.trim();
    if (keySource === 'none' && editing && editing.key !== 'none') input.clearKey = true;
    if (await save.run(input)) {
      setApiKey('');
      onSaved();
    }
  };

  const note = presets.find((p) => p.id === preset)?.note;
  return (
    <Card title={editing ? t('teacher.form.editTitle', { name: editing.name }) : t('teacher.form.addTitle')} labelId="teacher-form-title">
      <form
        data-testid="teacher-form"
        className="grid gap-4 md:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label={t('teacher.form.preset')} htmlFor="teacher-preset">
          <select id="teacher-preset" className={inputClass} value={preset} onChange={(e) => choosePreset(e.target.value)}>
            <option value="">–</option>
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
          <p className={muted}>{note ?? t('teacher.form.presetHelp')}</p>
        </Field>
        <Field label={t('teacher.form.name')} htmlFor="teacher-name">
          <input id="teacher-name" className={inputClass} value={name} disabled={Boolean(editing)} placeholder={t('teacher.form.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
        </Field>
        <div className="space-y-1 md:col-span-2">
          <p className="text-xs font-medium text-slate-600 dark:text-slate-400">{t('teacher.form.endpoints')}</p>
          {urls.map((u, i) => (
            <div key={i} className="flex gap-2">
              <input
                aria-label={`${t('teacher.form.endpoints')} ${i + 1}`}
                className={`${inputClass} font-mono`}
                value={u}
                spellCheck={false}
                placeholder="http://127.0.0.1:8000/v1"
                onChange={(e) => setUrls((all) => all.map((x, j) => (j === i ? e.target.value : x)))}
              />
              {urls.length > 1 && (
                <Button variant="ghost" aria-label={t('teacher.form.removeEndpoint', { n: i + 1 })} onClick={() => setUrls((all) => all.filter((_, j) => j !== i))}>
                  ✕
                </Button>
              )}
            </div>
          ))}
          <div className="flex items-center gap-3">
            <Button variant="ghost" onClick={() => setUrls((all) => [...all, ''])}>
              + {t('teacher.form.addEndpoint')}
            </Button>
            <p className={muted}>{t('teacher.form.endpointsHelp')}</p>
          </div>
        </div>
        <div className="md:col-span-2">
          <Field label={t('teacher.form.model')} htmlFor="teacher-model">
            <div className="flex gap-2">
              <input id="teacher-model" list="teacher-models" className={`${inputClass} font-mono`} value={model} spellCheck={false} onChange={(e) => setModel(e.target.value)} />
              <Button onClick={() => void listModels()} disabled={!urls[0]?.trim()}>
                {t('teacher.form.listModels')}
              </Button>
            </div>
          </Field>
          <datalist id="teacher-models">{models?.map((m) => <option key={m} value={m} />)}</datalist>
          {models && models.length === 0 && <p className={muted}>{t('teacher.form.noModels')}</p>}
          {models && models.length > 0 && (
            <div className="mt-2 flex flex-wrap gap-1.5">
              {models.map((m) => (
                <button key={m} type="button" onClick={() => setModel(m)} className="max-w-full truncate rounded bg-slate-100 px-2 py-0.5 font-mono text-xs hover:bg-indigo-100 dark:bg-slate-800 dark:hover:bg-slate-700">
                  {m}
                </button>
              ))}
            </div>
          )}
          <ErrorNote error={modelsError} />
        </div>
        <fieldset className="space-y-2 md:col-span-2">
          <legend className="text-xs font-medium text-slate-600 dark:text-slate-400">{t('teacher.form.keySource')}</legend>
          <div className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
            {(['none', ...(editing?.key === 'stored' ? ['keep'] : []), 'store', 'env'] as KeySource[]).map((k) => (
              <label key={k} className="flex items-center gap-1.5">
                <input type="radio" name="key-source" value={k} checked={keySource === k} onChange={() => setKeySource(k)} />
                {t(`teacher.form.key${k === 'none' ? 'None' : k === 'keep' ? 'Keep' : k === 'store' ? 'Store' : 'Env'}`)}
              </label>
            ))}
          </div>
          {keySource === 'keep' && <p className={muted}>{t('teacher.form.keyStoredNote')}</p>}
          {keySource === 'store' && (
            <input
              aria-label={t('teacher.form.key')}
              type="password"
              autoComplete="off"
              className={inputClass}
              value={apiKey}
              placeholder={t('teacher.form.keyPlaceholder')}
              onChange={(e) => setApiKey(e.target.value)}
            />
          )}
          {keySource === 'env' && (
            <input aria-label={t('teacher.form.envName')} className={`${inputClass} font-mono`} value={keyEnv} placeholder="OPENAI_API_KEY" onChange={(e) => setKeyEnv(e.target.value)} />
          )}
        </fieldset>
        <div className="space-y-1 md:col-span-2">
          <p className="text-xs font-medium text-slate-600 dark:text-slate-400">{t('teacher.form.headers')}</p>
          {headers.map(([k, v], i) => (
            <div key={i} className="flex gap-2">
              <input aria-label={`${t('teacher.form.headerName')} ${i + 1}`} className={`${inputClass} font-mono`} value={k} onChange={(e) => setHeaders((h) => h.map((x, j) => (j === i ? [e.target.value, x[1]] : x)))} />
              <input aria-label={`${t('teacher.form.headerValue')} ${i + 1}`} className={`${inputClass} font-mono`} value={v} onChange={(e) => setHeaders((h) => h.map((x, j) => (j === i ? [x[0], e.target.value] : x)))} />
              <Button variant="ghost" aria-label={t('teacher.form.removeHeader', { n: i + 1 })} onClick={() => setHeaders((h) => h.filter((_, j) => j !== i))}>
                ✕
              </Button>
            </div>
          ))}
          <div className="flex items-center gap-3">
            <Button variant="ghost" onClick={() => setHeaders((h) => [...h, ['', '']])}>
              + {t('teacher.form.addHeader')}
            </Button>
            <p className={muted}>{t('teacher.form.headersHelp')}</p>
          </div>
        </div>
        <div className="md:col-span-2">
          <Field label={t('teacher.form.system')} htmlFor="teacher-system">
            <textarea id="teacher-system" rows={2} className={inputClass} value={system} onChange={(e) => setSystem(e.target.value)} />
          </Field>
        </div>
        <Field label={t('teacher.form.priceIn')} htmlFor="teacher-price-in">
          <input id="teacher-price-in" type="number" min={0} step="any" className={inputClass} value={priceIn} onChange={(e) => setPriceIn(e.target.value)} />
        </Field>
        <Field label={t('teacher.form.priceOut')} htmlFor="teacher-price-out">
          <input id="teacher-price-out" type="number" min={0} step="any" className={inputClass} value={priceOut} onChange={(e) => setPriceOut(e.target.value)} />
        </Field>
        <div className="flex items-center gap-2 md:col-span-2">
          <Button type="submit" variant="primary" disabled={save.pending || !name.trim() || !model.trim() || !urls.some((u) => u.trim())}>
            {save.pending ? t('teacher.form.saving') : t('teacher.form.save')}
          </Button>
          {(editing || draft) && (
            <Button variant="ghost" onClick={onCancel}>
              {t('teacher.form.cancel')}
            </Button>
          )}
          <p className={muted}>{t('teacher.form.priceHelp')}</p>
        </div>
      </form>
      <ErrorNote error={save.error} />
    </Card>
  );
}
