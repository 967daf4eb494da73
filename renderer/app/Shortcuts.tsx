import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';

export type ShortcutRow = { keys: string[]; label: string };

/** Keys to press together, each in its own keycap. */
export function Keys({ keys }: { keys: string[] }) {
  return (
    <span className="flex gap-1">
      {keys.map((k) => (
        <kbd key={k} className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs dark:border-slate-600 dark:bg-slate-800">
          {k}
        </kbd>
      ))}
    </span>
  );
}

/** Shortcut rows: the keys on the left, what they do (an i18n key) on the right. */
export function ShortcutList({ rows, className }: { rows: ShortcutRow[]; className: string }) {
  const { t } = useTranslation();
  return (
    <dl className={`${className} text-sm`}>
      {rows.map((r) => (
        <div key={r.label} className="flex items-center justify-between gap-4">
          <dt>
            <Keys keys={r.keys} />
          </dt>
          <dd className="text-right text-slate-600 dark:text-slate-300">{t(r.label)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A help dialog's closing button (it takes the focus when the dialog opens). */
export function HelpClose({ label, onClose, buttonRef }: { label: string; onClose: () => void; buttonRef: Ref<HTMLButtonElement> }) {
  return (
    <div className="mt-6 text-right">
      <button ref={buttonRef} type="button" onClick={onClose} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">
        {label}
      </button>
    </div>
  );
}
