import { useCallback, useEffect, useMemo, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { toApiError, useConnection, type ApiError } from '../api/hooks';
import { ConnectionBanner } from './ConnectionBanner';
import { ErrorBoundary } from './ErrorBoundary';
import { Header } from './Header';
import { HelpOverlay } from './HelpOverlay';
import { ProjectContext, type OpenProject } from './ProjectContext';
import { Rail } from './Rail';
import { STEP_IDS, stepFromHash, type StepId } from './steps';
import { ProjectStep } from '../steps/project/ProjectStep';
import { TeacherStep } from '../steps/teacher/TeacherStep';
import { QuestionsStep } from '../steps/questions/QuestionsStep';
import { TracesStep } from '../steps/traces/TracesStep';
import { CurateStep } from '../steps/curate/CurateStep';
import { ReviewStep } from '../steps/review/ReviewStep';
import { TrainStep } from '../steps/train/TrainStep';
import { EvaluateStep } from '../steps/evaluate/EvaluateStep';

/** Each step after Project: its page, which offers the way to the Project step while none is open. */
const STEPS: Record<Exclude<StepId, 'project'>, ComponentType<{ onGoProject: () => void }>> = {
  teacher: TeacherStep,
  questions: QuestionsStep,
  traces: TracesStep,
  curate: CurateStep,
  review: ReviewStep,
  train: TrainStep,
  evaluate: EvaluateStep,
};

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export function App() {
  const { t } = useTranslation();
  const [step, setStep] = useState<StepId>(stepFromHash);
  const [help, setHelp] = useState(false);
  const [project, setProject] = useState<OpenProject | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [fatal, setFatal] = useState<ApiError | null>(null);

  const refresh = useCallback(async () => {
    try {
      setProject(await api.project.current.query());
      setFatal(null);
    } catch (e) {
      setFatal(toApiError(e));
    } finally {
      setLoaded(true);
    }
  }, []);

  const { epoch } = useConnection();
  useEffect(() => {
    void refresh();
  }, [refresh, epoch]);

  const select = useCallback((s: StepId) => {
    setStep(s);
    window.history.replaceState(window.history.state, '', `#/${s}`);
  }, []);

  useEffect(() => {
    const onHash = () => setStep(stepFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        const i = STEP_IDS.indexOf(step) + (e.key === 'ArrowDown' ? 1 : -1);
        const next = STEP_IDS[(i + STEP_IDS.length) % STEP_IDS.length];
        if (next) select(next);
        return;
      }
      if (e.key === '?' && !isTyping(e.target)) {
        e.preventDefault();
        setHelp(true);
      } else if (e.key === 'Escape') {
        setHelp(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step, select]);

  const ctx = useMemo(() => ({ project, refresh, setProject }), [project, refresh]);
  const goProject = () => select('project');

  const Step = step === 'project' ? null : STEPS[step];
  const body = Step ? <Step onGoProject={goProject} /> : <ProjectStep />;

  return (
    <ProjectContext.Provider value={ctx}>
      <div className="flex h-full flex-col">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-1">
          {t('app.skipToContent')}
        </a>
        {/* Each part of the shell fails on its own: a step that cannot render leaves the rail to move on. */}
        <ErrorBoundary name="header">
          <Header onHelp={() => setHelp(true)} />
        </ErrorBoundary>
        <ConnectionBanner />
        <div className="flex min-h-0 flex-1">
          <ErrorBoundary name="rail" className="m-2 w-56">
            <Rail active={step} onSelect={select} hasProject={Boolean(project)} />
          </ErrorBoundary>
          <main id="main" data-step={step} className="min-w-0 flex-1 overflow-y-auto p-6 lg:p-8">
            {fatal && fatal.code !== 'engine_unreachable' && fatal.code !== 'token_invalid' ? (
              <div role="alert" className="mx-auto max-w-xl rounded-xl border border-rose-200 bg-rose-50 p-5 text-rose-800 dark:border-rose-900 dark:bg-rose-950/60 dark:text-rose-200">
                <p>{t('app.connectionError', { message: fatal.message })}</p>
                <button type="button" className="mt-3 text-sm font-medium underline" onClick={() => window.location.reload()}>
                  {t('app.reload')}
                </button>
              </div>
            ) : loaded && !fatal ? (
              <ErrorBoundary key={step} name={`step:${step}`} className="mx-auto max-w-xl">
                {body}
              </ErrorBoundary>
            ) : (
              <p className="text-sm text-slate-500">{t('common.loading')}</p>
            )}
          </main>
        </div>
        {help && (
          <ErrorBoundary name="help">
            <HelpOverlay step={step} onClose={() => setHelp(false)} />
          </ErrorBoundary>
        )}
      </div>
    </ProjectContext.Provider>
  );
}
