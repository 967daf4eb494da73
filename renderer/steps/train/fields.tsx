import { useEffect, useState, type ReactNode } from 'react';
import { inputClass } from '../../app/ui';
import { FolderInput } from '../project/FolderInput';

export const label = 'block text-xs font-medium text-slate-600 dark:text-slate-300';

/** A number input that lets the user type through invalid states ('', '1e') and reports only numbers (or null where empty is allowed). */
export function NumberField({ id, text, value, onChange, step, min, allowEmpty }: { id: string; text: string; value: number | null; onChange: (v: number | null) => void; step?: string; min?: number; allowEmpty?: boolean }) {
  const [raw, setRaw] = useState(value === null ? '' : String(value));
  useEffect(() => {
    setRaw((r) => (Number(r) === value || (r === '' && value === null) ? r : value === null ? '' : String(value)));
  }, [value]);
  return (
    <div>
      <label htmlFor={id} className={label}>
        {text}
      </label>
      <input
        id={id}
        type="number"
        className={`${inputClass} mt-1`}
        value={raw}
        step={step ?? 'any'}
        min={min}
        onChange={(e) => {
          setRaw(e.target.value);
          if (e.target.value.trim() === '') {
            if (allowEmpty) onChange(null);
            return;
          }
          const n = Number(e.target.value);
          if (Number.isFinite(n)) onChange(n);
        }}
      />
    </div>
  );
}

/** A labelled select. */
export function SelectField({ id, text, value, onChange, children }: { id: string; text: string; value: string | undefined; onChange: (v: string) => void; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className={label}>
        {text}
      </label>
      <select id={id} className={`${inputClass} mt-1`} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}

/** A labelled folder path with the folder picker. */
export function FolderField({ id, text, value, onChange, nativePicker }: { id: string; text: string; value: string; onChange: (v: string) => void; nativePicker: boolean }) {
  return (
    <>
      <label htmlFor={id} className={label}>
        {text}
      </label>
      <div className="mt-1">
        <FolderInput id={id} value={value} onChange={onChange} nativePicker={nativePicker} />
      </div>
    </>
  );
}
