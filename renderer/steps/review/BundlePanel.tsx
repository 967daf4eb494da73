import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { action, useApiMutation } from '../../api/hooks';
import { Button, ErrorNote, Field, inputClass } from '../../app/ui';
import { ConflictPanel } from './ConflictPanel';
import type { MonacoApi } from './monaco/load';
import { CLIENT_ID, muted, type BundleConflict, type BundleImport, type Texts } from './types';

/**
 * Review bundles for air-gapped teams: a subset of samples in one file for a reviewer on another machine;
 * importing their file applies their decisions and edits, and lists each conflict side by side.
 */
export function BundlePanel(props: { monaco: MonacoApi | null; projectPath: string; selected: number[]; author: string; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  const [out, setOut] = useState(`${props.projectPath}/artifacts/bundles/review-${stamp}.jsonl`);
  const [onlySelected, setOnlySelected] = useState(props.selected.length > 0);
  const [file, setFile] = useState('');
  const [exported, setExported] = useState<{ file: string; samples: number; bytes: number } | null>(null);
  const [imported, setImported] = useState<BundleImport | null>(null);
  const [open, setOpen] = useState<BundleConflict[]>([]);
  const exp = useApiMutation(() => api.review.bundleExport.mutate({ out: out.trim(), traceIds: onlySelected && props.selected.length ? props.selected : undefined }));
  const imp = useApiMutation(() => api.review.bundleImport.mutate({ file: file.trim() }));
  const resolve = useApiMutation((c: BundleConflict, texts: Texts) =>
    api.review.resolve.mutate({ traceId: c.traceId, baseRevision: c.mine.n, thinking: texts.thinking, answer: texts.answer, author: props.author, clientId: CLIENT_ID }),
  );
  const nf = (n: number) => n.toLocaleString(i18n.language);

  return (
    <div className="space-y-5" data-testid="bundle-panel">
      <section className="space-y-2">
        <h3 className="text-sm font-semibold">{t('review.bundle.exportTitle')}</h3>
        <p className={muted}>{t('review.bundle.exportHelp')}</p>
        <Field label={t('review.bundle.out')} htmlFor="bundle-out">
          <input id="bundle-out" className={inputClass} value={out} onChange={(e) => setOut(e.target.value)} />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" className="accent-indigo-600" disabled={props.selected.length === 0} checked={onlySelected && props.selected.length > 0} onChange={(e) => setOnlySelected(e.target.checked)} />
          {t('review.bundle.onlySelected', { count: props.selected.length, n: nf(props.selected.length) })}
        </label>
        <Button
          variant="primary"
          disabled={!out.trim() || exp.pending}
          onClick={action(async () => {
            const r = await exp.run();
            if (r) setExported(r);
          })}
        >
          {t('review.bundle.export')}
        </Button>
        <ErrorNote error={exp.error} />
        {exported && (
          <p role="status" data-testid="bundle-exported" className="text-sm text-emerald-700 dark:text-emerald-300">
            {t('review.bundle.exported', { count: exported.samples, n: nf(exported.samples), file: exported.file, kb: nf(Math.ceil(exported.bytes / 1024)) })}
          </p>
        )}
      </section>
      <section className="space-y-2">
        <h3 className="text-sm font-semibold">{t('review.bundle.importTitle')}</h3>
        <p className={muted}>{t('review.bundle.importHelp')}</p>
        <Field label={t('review.bundle.file')} htmlFor="bundle-file">
          <input id="bundle-file" className={inputClass} value={file} onChange={(e) => setFile(e.target.value)} />
        </Field>
        <Button
          disabled={!file.trim() || imp.pending}
          onClick={action(async () => {
            const r = await imp.run();
            if (r) {
              setImported(r);
              setOpen(r.conflicts);
              props.onChanged();
            }
          })}
        >
          {t('review.bundle.import')}
        </Button>
        <ErrorNote error={imp.error ?? resolve.error} />
        {imported && (
          <p role="status" data-testid="bundle-imported" className="text-sm">
            {t('review.bundle.imported', { applied: nf(imported.applied), unchanged: nf(imported.unchanged), conflicts: nf(imported.conflicts.length) })}
          </p>
        )}
        {open.map((c) => (
          <div key={c.traceId} className="space-y-1 rounded-md p-2 ring-1 ring-amber-300 dark:ring-amber-800" data-testid="bundle-conflict">
            <p className="text-sm font-medium">
              #{c.questionId} {c.question}
            </p>
            {props.monaco ? (
              <div className="flex h-[28rem] flex-col">
                <ConflictPanel
                  monaco={props.monaco}
                  view={{ mine: c.mine, theirs: c.theirs, merged: c.merged }}
                  title={t('review.bundle.conflict', { reason: c.reason, mine: c.mine.author ?? '—', theirs: c.theirs.author ?? '—' })}
                  testId="bundle-conflict-panel"
                  pending={resolve.pending}
                  onResolve={action(async (texts) => {
                    const r = await resolve.run(c, texts);
                    if (r?.ok) {
                      setOpen((l) => l.filter((x) => x.traceId !== c.traceId));
                      props.onChanged();
                    }
                  })}
                />
              </div>
            ) : (
              <p className={muted}>{c.reason}</p>
            )}
          </div>
        ))}
      </section>
    </div>
  );
}
