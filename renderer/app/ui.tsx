import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CONNECTION_CODES, type ApiError } from '../api/hooks';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger';

const VARIANTS: Record<Variant, string> = {
  primary: 'bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-400 dark:disabled:bg-indigo-800',
  secondary:
    'bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-600 dark:hover:bg-slate-700',
  ghost: 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800',
  danger: 'text-rose-700 ring-1 ring-rose-300 hover:bg-rose-50 dark:text-rose-300 dark:ring-rose-800 dark:hover:bg-rose-950',
};

export function Button({ variant = 'secondary', className = '', ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return (
    <button
      type="button"
      className={`inline-flex shrink-0 items-center justify-center gap-1.5 whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-70 ${VARIANTS[variant]} ${className}`}
      {...rest}
    />
  );
}

export function Card({ title, actions, children, className = '', labelId }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; labelId?: string }) {
  return (
    <section
      aria-labelledby={title && labelId ? labelId : undefined}
      className={`rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900 ${className}`}
    >
      {(title || actions) && (
        <div className="mb-3 flex items-center justify-between gap-3">
          {title && (
            <h2 id={labelId} className="text-base font-semibold text-slate-900 dark:text-slate-100">
              {title}
            </h2>
          )}
          {actions && <div className="flex items-center gap-2">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

/** An API error: its message is already a sentence for the user. Rendered as text, never as HTML. */
export function ErrorNote({ error, children }: { error: ApiError | null; children?: ReactNode }) {
  // A stopped engine or a stale token is said once, by the connection banner, not in every panel.
  const { t, i18n } = useTranslation();
  if (!error || (CONNECTION_CODES as readonly (string | null)[]).includes(error.code)) return null;
  // The engine's sentences are English and name the file or setting; in another language a headline for
  // the error's code says what happened first (errors.* in the i18n files, one per engine code).
  const headline = error.code && !i18n.language.startsWith('en') && i18n.exists(`errors.${error.code}`) ? t(`errors.${error.code}`) : null;
  return (
    <div role="alert" data-code={error.code ?? ''} className="mt-3 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-900 dark:bg-rose-950/60 dark:text-rose-200">
      {headline && <p className="font-medium" data-testid="error-headline">{headline}</p>}
      <p>{error.message}</p>
      {children}
    </div>
  );
}

export const inputClass =
  'block w-full rounded-md border-0 bg-white px-3 py-1.5 text-sm text-slate-900 ring-1 ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-500 focus:outline-none dark:bg-slate-950 dark:text-slate-100 dark:ring-slate-700';

export function Field({ label, htmlFor, children }: { label: string; htmlFor: string; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-xs font-medium text-slate-600 dark:text-slate-400">
        {label}
      </label>
      {children}
    </div>
  );
}
