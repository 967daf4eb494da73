import { useTranslation } from 'react-i18next';
import type { QueryState } from '../../api/hooks';
import { ImportGguf } from '../../app/models/ImportGguf';
import { Card, ErrorNote } from '../../app/ui';
import type { DatasetInfo, ModelInfo, Recipe } from './api';
import { FolderField } from './fields';
import { formatBytes, formatCount } from './format';

type Props = {
  recipe: Recipe;
  set: (patch: Partial<Recipe>) => void;
  exports: { dir: string; name: string; rows: number }[] | undefined;
  /** What the dataset folder holds (once the typed path has settled). */
  d: DatasetInfo | undefined;
  /** The settled base model path, its inspection, and what it found. */
  base: string;
  model: QueryState<ModelInfo>;
  m: ModelInfo | undefined;
  nativePicker: boolean;
};

/** The dataset (an export of the Review step, or any folder) and the base model, each checked as it is typed. */
export function DataCard({ recipe, set, exports, d, base, model, m, nativePicker }: Props) {
  const { t } = useTranslation();
  return (
    <Card title={t('train.data.title')}>
      <div className="space-y-4">
        <div>
          <FolderField id="train-dataset" text={t('train.data.dataset')} value={recipe.dataset} onChange={(v) => set({ dataset: v })} nativePicker={nativePicker} />
          {exports && exports.length > 0 ? (
            <div className="mt-2 flex flex-wrap items-center gap-2 text-xs">
              <span className="text-slate-500">{t('train.data.exports')}:</span>
              {exports.map((x) => (
                <button key={x.dir} type="button" className="rounded bg-slate-100 px-2 py-0.5 hover:bg-slate-200 dark:bg-slate-800" onClick={() => set({ dataset: x.dir })}>
                  {x.name} ({x.rows})
                </button>
              ))}
            </div>
          ) : (
            <p className="mt-1 text-xs text-slate-500">{t('train.data.noExports')}</p>
          )}
          {d && (
            <div className="mt-2 text-sm" data-testid="dataset-info">
              {!d.train ? (
                <p className="text-rose-700 dark:text-rose-300">{t(d.exists ? 'train.data.noTrain' : 'train.data.notFound')}</p>
              ) : (
                <>
                  <p className="text-slate-700 dark:text-slate-300">
                    {t('train.data.rows', { rows: d.rows })}
                    {d.evalRows > 0 ? ` · ${t('train.data.evalRows', { rows: d.evalRows })}` : ''}
                  </p>
                  {!d.messages && <p className="text-rose-700 dark:text-rose-300">{t('train.data.notMessages')}</p>}
                  {d.messages && !d.thinking && <p className="text-amber-700 dark:text-amber-300">{t('train.data.noThinking')}</p>}
                </>
              )}
            </div>
          )}
        </div>
        <div>
          <FolderField id="train-base" text={t('train.data.base')} value={recipe.base} onChange={(v) => set({ base: v })} nativePicker={nativePicker} />
          <ImportGguf id="train-base-gguf" onImported={(dir) => set({ base: dir })} />
          {base && model.loading && !m && <p className="mt-2 text-xs text-slate-500">{t('train.data.checking')}</p>}
          <ErrorNote error={base ? model.error : null} />
          {m && (
            <div className="mt-2 space-y-0.5 text-sm" data-testid="model-info" data-ok={m.ok ? 'yes' : 'no'}>
              {!m.exists ? (
                <p className="text-rose-700 dark:text-rose-300">{t('train.data.notFound')}</p>
              ) : (
                <>
                  <p className={m.ok ? 'font-medium text-emerald-700 dark:text-emerald-300' : 'text-rose-700 dark:text-rose-300'}>
                    {m.ok
                      ? t('train.data.modelOk')
                      : t('train.data.missing', {
                          what: [!m.config && t('train.data.config'), !m.tokenizer && t('train.data.tokenizer'), !m.weights && t('train.data.weights')].filter(Boolean).join(', ') || 'config.json',
                        })}
                  </p>
                  {m.configError && <p className="text-rose-700 dark:text-rose-300">{m.configError}</p>}
                  {m.architecture && (
                    <p className="text-slate-700 dark:text-slate-300">
                      <span className="font-mono" data-testid="model-arch">
                        {m.architecture}
                      </span>
                      {m.params !== null && ` · ${t('train.data.params', { params: formatCount(m.params) })}`}
                      {m.weights && ` · ${t('train.data.weightsSize', { size: formatBytes(m.weightsBytes) })}`}
                    </p>
                  )}
                  {m.layers !== null && <p className="text-xs text-slate-500">{t('train.data.layers', { layers: m.layers, hidden: m.hidden, vocab: m.vocab })}</p>}
                  <p className="text-xs text-slate-500">
                    {m.tokenizer ? t('train.data.tokenizerOk') : t('train.data.missing', { what: t('train.data.tokenizer') })} ·{' '}
                    {m.chatTemplate ? t('train.data.chatTemplate') : t('train.data.noChatTemplate')}
                  </p>
                </>
              )}
            </div>
          )}
        </div>
      </div>
    </Card>
  );
}
