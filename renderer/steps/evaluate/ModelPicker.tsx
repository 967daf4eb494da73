import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation } from '../../api/hooks';
import { Button, ErrorNote, inputClass } from '../../app/ui';
import { FolderInput } from '../project/FolderInput';
import { evalApi, type ModelOption, type ModelSpec } from './api';
import { muted, pill } from './format';

/** The key of an option: stable across refetches (a teacher's name, a folder's path). */
export function optionKey(o: ModelOption): string {
  return o.spec.kind === 'endpoint' ? `teacher:${o.spec.teacher}` : `dir:${o.spec.dir}`;
}

/** The user's choice for one option: its label, and for a folder how to run it (served, or in-app ONNX). */
export interface Chosen {
  label: string;
  engine: 'served' | 'onnx';
  templateDir: string;
}

/** The ModelSpec to send for a chosen option. */
export function specOf(o: ModelOption, c: Chosen): ModelSpec {
  const label = c.label.trim() || o.spec.label;
  if (o.spec.kind === 'endpoint') return { label, kind: 'endpoint', teacher: o.spec.teacher, templateDir: c.templateDir.trim() || o.spec.templateDir || null };
  if (c.engine === 'onnx') return { label, kind: 'onnx', dir: o.spec.dir };
  return { label, kind: 'local', dir: o.spec.dir, ...(o.spec.kind === 'local' && o.spec.server ? { server: o.spec.server } : {}) };
}

export function initialChoice(o: ModelOption): Chosen {
  return { label: o.spec.label, engine: o.spec.kind === 'onnx' ? 'onnx' : 'served', templateDir: o.spec.kind === 'endpoint' ? (o.spec.templateDir ?? '') : '' };
}

const SOURCES: ModelOption['source'][] = ['train-run', 'train-checkpoint', 'folder', 'teacher'];

/**
 * Every model the project knows (students from training runs, model folders such as the base, registered
 * teachers), each ticked in or out with its plot label; folders run served on loopback or in the in-app
 * ONNX engine. A folder can be added here.
 */
export function ModelPicker({
  options,
  chosen,
  onChange,
  onListChanged,
  nativePicker,
  multiple = true,
}: {
  options: ModelOption[];
  chosen: Map<string, Chosen>;
  onChange: (next: Map<string, Chosen>) => void;
  onListChanged: (added?: ModelOption) => void;
  nativePicker: boolean;
  multiple?: boolean;
}) {
  const { t } = useTranslation();
  const [dir, setDir] = useState('');
  const [label, setLabel] = useState('');
  const add = useApiMutation(async () => {
    const o = await evalApi.models.addFolder.mutate({ dir: dir.trim(), ...(label.trim() ? { label: label.trim() } : {}) });
    setDir('');
    setLabel('');
    onListChanged(o);
    return o;
  });
  const remove = useApiMutation(async (d: string) => {
    await evalApi.models.removeFolder.mutate({ dir: d });
    const next = new Map(chosen);
    next.delete(`dir:${d}`);
    onChange(next);
    onListChanged();
  });

  const set = (key: string, c: Chosen | null) => {
    const next = multiple ? new Map(chosen) : new Map<string, Chosen>();
    if (c) next.set(key, c);
    else next.delete(key);
    onChange(next);
  };
  const sorted = [...options].sort((a, b) => SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source));
  const prefix = multiple ? 'eval-model' : 'pg-model';

  return (
    <div>
      {sorted.length === 0 ? (
        <p className={muted}>{t('evaluate.models.empty')}</p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid={`${prefix}-list`}>
          {sorted.map((o, i) => {
            const key = optionKey(o);
            const c = chosen.get(key);
            const id = `${prefix}-${i}`;
            const folder = o.spec.kind !== 'endpoint';
            return (
              <li key={key} className="py-2" data-testid={`${prefix}-option`} data-key={key} data-source={o.source}>
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <input
                    id={id}
                    type={multiple ? 'checkbox' : 'radio'}
                    name={multiple ? undefined : prefix}
                    checked={Boolean(c)}
                    onChange={(e) => set(key, e.target.checked ? (c ?? initialChoice(o)) : null)}
                  />
                  <label htmlFor={id} className="text-sm font-medium">
                    {o.spec.label}
                  </label>
                  <span className={`${pill} bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200`}>{t(`evaluate.models.source.${o.source}`)}</span>
                  {o.onnx && <span className={`${pill} bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200`}>{t('evaluate.models.onnx')}</span>}
                  <span className={`${muted} min-w-0 flex-1 truncate font-mono`} title={o.detail}>
                    {o.detail}
                  </span>
                  {o.source === 'folder' && o.spec.kind !== 'endpoint' && (
                    <Button variant="ghost" onClick={() => void remove.run(o.spec.kind === 'endpoint' ? '' : o.spec.dir)} aria-label={t('evaluate.models.removeFolder', { label: o.spec.label })}>
                      {t('evaluate.models.remove')}
                    </Button>
                  )}
                </div>
                {o.problem && <p className="mt-1 text-xs text-amber-700 dark:text-amber-300">{o.problem}</p>}
                {c && (
                  <div className={`mt-2 grid gap-2 pl-6 ${multiple ? 'sm:grid-cols-3' : ''}`}>
                    {multiple && (
                      <div>
                        <label htmlFor={`${id}-label`} className={muted}>
                          {t('evaluate.models.label')}
                        </label>
                        <input id={`${id}-label`} className={inputClass} value={c.label} maxLength={80} onChange={(e) => set(key, { ...c, label: e.target.value })} />
                      </div>
                    )}
                    {folder && (
                      <div>
                        <label htmlFor={`${id}-engine`} className={muted}>
                          {t('evaluate.models.engine')}
                        </label>
                        <select id={`${id}-engine`} className={inputClass} value={c.engine} onChange={(e) => set(key, { ...c, engine: e.target.value as Chosen['engine'] })}>
                          <option value="served" disabled={o.spec.kind === 'onnx'}>
                            {t('evaluate.models.served')}
                          </option>
                          <option value="onnx" disabled={!o.onnx}>
                            {t('evaluate.models.inApp')}
                          </option>
                        </select>
                      </div>
                    )}
                    {!folder && (
                      <div className="sm:col-span-2">
                        <label htmlFor={`${id}-template`} className={muted}>
                          {t('evaluate.models.templateDir')}
                        </label>
                        <input id={`${id}-template`} className={`${inputClass} font-mono`} value={c.templateDir} spellCheck={false} onChange={(e) => set(key, { ...c, templateDir: e.target.value })} />
                      </div>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <ErrorNote error={remove.error} />
      {multiple && (
        <details className="mt-3">
          <summary className="cursor-pointer text-sm font-medium text-indigo-700 dark:text-indigo-300">{t('evaluate.models.add')}</summary>
          <div className="mt-2 grid gap-2 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
            <div>
              <label htmlFor="eval-add-dir" className={muted}>
                {t('evaluate.models.folder')}
              </label>
              <FolderInput id="eval-add-dir" value={dir} onChange={setDir} nativePicker={nativePicker} />
            </div>
            <div>
              <label htmlFor="eval-add-label" className={muted}>
                {t('evaluate.models.labelOptional')}
              </label>
              <input id="eval-add-label" className={inputClass} value={label} maxLength={80} onChange={(e) => setLabel(e.target.value)} />
            </div>
            <Button variant="primary" disabled={!dir.trim() || add.pending} onClick={() => void add.run()}>
              {add.pending ? t('evaluate.models.adding') : t('evaluate.models.addButton')}
            </Button>
          </div>
          <p className={`${muted} mt-1`}>{t('evaluate.models.addHint')}</p>
          <ErrorNote error={add.error} />
        </details>
      )}
    </div>
  );
}
