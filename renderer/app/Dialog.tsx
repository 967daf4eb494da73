import { useEffect, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

type Props = {
  /** The id of the dialog's heading (aria-labelledby); or `label` where it has none. */
  labelledBy?: string;
  label?: string;
  onClose: () => void;
  children: ReactNode;
  /** The panel's own classes: width and height limits (modal), or the whole look (inline). */
  className?: string;
  testId?: string;
  /**
   * Modal (the default): over a backdrop that closes it on click, Tab stays inside. Inline: a panel in the
   * page (a folder browser, an explanation under a row) that still takes focus and closes on Escape.
   */
  modal?: boolean;
  /** Where a modal panel stands: centred, or from the top with the backdrop scrolling (tall content). */
  align?: 'center' | 'top';
  /** What takes focus on open: 'panel' itself, this element, or the selector's first match inside; by default the first focusable element. The panel when none is found. */
  initialFocus?: RefObject<HTMLElement | null> | string;
  /** Keys the dialog handles beyond Escape and Tab. */
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
};

const BACKDROP: Record<'center' | 'top', string> = {
  center: 'fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-4',
  top: 'fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-slate-900/40 p-4 sm:p-10',
};
const PANEL = 'w-full rounded-xl bg-white p-6 shadow-xl dark:bg-slate-900 dark:ring-1 dark:ring-slate-700';

/** Keeps Tab and Shift+Tab on the panel's focusable elements (an editor that used the key itself is left alone). */
function trapTab(e: KeyboardEvent<HTMLDivElement>, box: HTMLElement) {
  if (e.defaultPrevented) return;
  const all = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = all[0];
  const last = all[all.length - 1];
  if (!first || !last) {
    e.preventDefault();
    return;
  }
  const active = document.activeElement;
  if (e.shiftKey && (active === first || active === box)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  }
}

function firstFocus(box: HTMLElement, spec: Props['initialFocus']): HTMLElement {
  if (spec === 'panel') return box;
  if (spec === undefined) return box.querySelector<HTMLElement>(FOCUSABLE) ?? box;
  return (typeof spec === 'string' ? box.querySelector<HTMLElement>(spec) : spec.current) ?? box;
}

/**
 * The app's one dialog: role=dialog with its label, Escape closes, focus moves in on open and goes back
 * where it was on close; a modal one sits over a backdrop (a click on it closes) and keeps Tab inside.
 */
export function Dialog({ labelledBy, label, onClose, children, className = '', testId, modal = true, align = 'center', initialFocus, onKeyDown }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const focusSpec = useRef(initialFocus);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const el = box.current;
    const spec = focusSpec.current;
    if (el) firstFocus(el, spec).focus();
    return () => previous?.focus();
  }, []);

  const panel = (
    <div
      ref={box}
      tabIndex={-1}
      role="dialog"
      aria-modal={modal ? 'true' : undefined}
      aria-labelledby={labelledBy}
      aria-label={label}
      data-testid={testId}
      onClick={modal ? (e) => e.stopPropagation() : undefined}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
        else if (e.key === 'Tab' && modal && box.current) trapTab(e, box.current);
        onKeyDown?.(e);
      }}
      className={modal ? `${PANEL} outline-none ${className}` : `outline-none ${className}`}
    >
      {children}
    </div>
  );
  if (!modal) return panel;
  return (
    <div className={BACKDROP[align]} onClick={onClose}>
      {panel}
    </div>
  );
}
