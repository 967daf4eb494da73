import 'katex/dist/katex.min.css';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StepShell } from '../../app/StepShell';
import { DecontamPanel } from './DecontamPanel';
import { DedupPanel } from './DedupPanel';
import { ImportPanel } from './ImportPanel';
import { PoolView } from './PoolView';
import { DistilPanel } from './DistilPanel';
import { SourcesPanel } from './SourcesPanel';

const TABS = ['pool', 'import', 'sources', 'dedup', 'decontam'] as const;
type Tab = (typeof TABS)[number] | 'distil';

/** The Questions step: import files into the pool, browse and edit it, deduplicate, decontaminate. */
export function QuestionsStep({ onGoProject }: { onGoProject: () => void }) {
  return (
    <StepShell step="questions" className="max-w-[90rem] space-y-5" noProjectKey="questions.needProject" onGoProject={onGoProject}>
      {() => <Workspace />}
    </StepShell>
  );
}

function Workspace() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('pool');
  // Bumped after anything that changes the pool, so every panel re-reads what it shows.
  const [version, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  return (
    <>
      <div role="tablist" aria-label={t('questions.tabs.label')} className="flex gap-1 border-b border-slate-200 dark:border-slate-800">
        {[...TABS, 'distil' as const].map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`questions-tab-${k}`}
            aria-selected={tab === k}
            aria-controls={`questions-panel-${k}`}
            onClick={() => setTab(k)}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium transition-colors ${
              tab === k
                ? 'border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300'
                : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100'
            }`}
          >
            {k === 'distil' ? t('distil.tab') : t(`questions.tabs.${k}`)}
          </button>
        ))}
      </div>
      {/* Pool and Import stay mounted (hidden) so the table position and an import in progress survive a tab switch. */}
      <div role="tabpanel" id="questions-panel-pool" aria-labelledby="questions-tab-pool" hidden={tab !== 'pool'}>
        <PoolView version={version} onChanged={changed} active={tab === 'pool'} />
      </div>
      <div role="tabpanel" id="questions-panel-import" aria-labelledby="questions-tab-import" hidden={tab !== 'import'}>
        <ImportPanel onImported={changed} onShowPool={() => setTab('pool')} />
      </div>
      {tab === 'sources' && (
        <div role="tabpanel" id="questions-panel-sources" aria-labelledby="questions-tab-sources">
          <SourcesPanel onChanged={changed} onShowPool={() => setTab('pool')} />
        </div>
      )}
      {tab === 'dedup' && (
        <div role="tabpanel" id="questions-panel-dedup" aria-labelledby="questions-tab-dedup">
          <DedupPanel version={version} onChanged={changed} />
        </div>
      )}
      {tab === 'decontam' && (
        <div role="tabpanel" id="questions-panel-decontam" aria-labelledby="questions-tab-decontam">
          <DecontamPanel version={version} onChanged={changed} />
        </div>
      )}
      {tab === 'distil' && (
        <div role="tabpanel" id="questions-panel-distil" aria-labelledby="questions-tab-distil">
          <DistilPanel version={version} onChanged={changed} />
        </div>
      )}
    </>
  );
}
