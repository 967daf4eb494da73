import { useEffect, useState, type ReactNode } from 'react';
import { inputClass } from '../../app/ui';

/** A number input that keeps what the user types and reports only valid numbers (empty → `empty`). */
export function NumberInput({
  id,
  value,
  onChange,
  min,
  max,
  step,
  empty,
  placeholder,
}: {
  id: string;
  value: number | null;
  onChange: (v: number | null) => void;
  min?: number;
  max?: number;
  step?: number;
  empty?: number | null;
  placeholder?: string;
}) {
  const [text, setText] = useState(value === null ? '' : String(value));
  useEffect(() => {
    // Follow outside changes (restore defaults), but keep what the user is typing when it means the same.
    setText((cur) => ((cur.trim() === '' && value === (empty ?? null)) || (cur.trim() !== '' && Number(cur) === value) ? cur : value === null ? '' : String(value)));
  }, [value, empty]);
  return (
    <input
      id={id}
      type="number"
      inputMode="decimal"
      value={text}
      min={min}
      max={max}
      step={step ?? 1}
      placeholder={placeholder}
      className={inputClass}
      onChange={(e) => {
        const s = e.target.value;
        setText(s);
        if (s.trim() === '') {
          if (empty !== undefined) onChange(empty);
          return;
        }
        const n = Number(s);
        if (!Number.isFinite(n) || (min !== undefined && n < min) || (max !== undefined && n > max)) return;
        if ((step ?? 1) >= 1 && !Number.isInteger(n)) return;
        onChange(n);
      }}
    />
  );
}

export function Check({ id, checked, onChange, children }: { id: string; checked: boolean; onChange: (v: boolean) => void; children: ReactNode }) {
  return (
    <label htmlFor={id} className="flex items-start gap-2 text-sm text-slate-700 dark:text-slate-200">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-indigo-600" />
      <span>{children}</span>
    </label>
  );
}

/** A stage's raw settings (patterns, exponents, taxonomy codes), collapsed by default. */
export function Advanced({ stage, label, children }: { stage: string; label: string; children: ReactNode }) {
  return (
    <details className="rounded-md ring-1 ring-slate-200 dark:ring-slate-800" data-testid={`advanced-${stage}`}>
      <summary className="cursor-pointer select-none px-2 py-1 text-xs font-medium text-slate-600 dark:text-slate-400">{label}</summary>
      <div className="space-y-3 p-2">{children}</div>
    </details>
  );
}

export function Group({
  title,
  enabled,
  onEnabled,
  enabledLabel,
  children,
  id,
  summary,
  stage,
}: {
  title: string;
  id: string;
  enabled: boolean;
  onEnabled: (v: boolean) => void;
  enabledLabel: string;
  children: ReactNode;
  /** One plain sentence that leads the stage: what it keeps or drops. */
  summary?: string;
  stage?: string;
}) {
  return (
    <fieldset className="space-y-3 border-t border-slate-200 pt-4 dark:border-slate-800">
      <legend className="sr-only">{title}</legend>
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold text-slate-900 dark:text-slate-100">{title}</h3>
        <label htmlFor={id} className="flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-400">
          <input id={id} type="checkbox" checked={enabled} onChange={(e) => onEnabled(e.target.checked)} className="h-4 w-4 accent-indigo-600" />
          {enabledLabel}
        </label>
      </div>
      {summary && (
        <p className="text-sm text-slate-700 dark:text-slate-300" data-testid={`summary-${stage ?? id}`}>
          {summary}
        </p>
      )}
      <div className={enabled ? 'space-y-3' : 'pointer-events-none space-y-3 opacity-50'} aria-disabled={!enabled}>
        {children}
      </div>
    </fieldset>
  );
}
