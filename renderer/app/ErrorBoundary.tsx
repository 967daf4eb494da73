import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  /** Which panel this is (in the console and as `data-panel`, for tests). */
  name: string;
  children: ReactNode;
  /** When this changes (another sample, another step), a failed panel tries again by itself. */
  resetKey?: unknown;
  /** A way past the failure that does not need this panel (Review: the next sample). */
  onSkip?: () => void;
  skipLabel?: string;
  className?: string;
}

interface State {
  error: Error | null;
}

/** The message of whatever was thrown, short and as text (it may come from the sample's own content). */
export function errorMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message || e.name : typeof e === 'string' ? e : '';
  const one = raw.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  return one.length > 300 ? `${one.slice(0, 300)}…` : one;
}

/**
 * Keeps a render error inside the panel it happened in: without it React unmounts the whole tree and the
 * window goes white (a crafted question once did that, and the review queue walked the reviewer into it).
 * The panel says what failed, offers "Try again", and everything around it (the rail, the queue, the
 * review keys) keeps working.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`[distillery] the "${this.props.name}" panel could not be shown:`, error, info.componentStack);
  }

  override componentDidUpdate(prev: Props): void {
    if (this.state.error && !Object.is(prev.resetKey, this.props.resetKey)) this.setState({ error: null });
  }

  private retry = () => this.setState({ error: null });

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return <PanelError name={this.props.name} error={error} onRetry={this.retry} onSkip={this.props.onSkip} skipLabel={this.props.skipLabel} className={this.props.className} />;
  }
}

export function PanelError(props: { name: string; error: unknown; onRetry: () => void; onSkip?: () => void; skipLabel?: string; className?: string }) {
  const { t } = useTranslation();
  const message = errorMessage(props.error) || t('safe.boundary.unknown');
  const button = 'rounded-md px-2.5 py-1 text-sm font-medium ring-1 ring-rose-300 hover:bg-rose-100 dark:ring-rose-800 dark:hover:bg-rose-900/60';
  return (
    <div
      role="alert"
      data-testid="panel-error"
      data-panel={props.name}
      className={`rounded-lg border border-rose-200 bg-rose-50 p-3 text-sm text-rose-800 dark:border-rose-900 dark:bg-rose-950/60 dark:text-rose-200 ${props.className ?? ''}`}
    >
      <p className="break-words">{t('safe.boundary.message', { message })}</p>
      <div className="mt-2 flex gap-2">
        <button type="button" className={button} onClick={props.onRetry}>
          {t('safe.boundary.retry')}
        </button>
        {props.onSkip && (
          <button type="button" className={button} onClick={props.onSkip}>
            {props.skipLabel ?? t('safe.boundary.nextSample')}
          </button>
        )}
      </div>
    </div>
  );
}
