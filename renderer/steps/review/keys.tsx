import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../app/Dialog';
import { HelpClose, Keys, ShortcutList, type ShortcutRow } from '../../app/Shortcuts';

/** The review shortcuts: a letter in the page, Alt+letter inside an editor (where a bare letter types). */
export const REVIEW_KEYS = [
  { key: 'a', action: 'accept' },
  { key: 'r', action: 'reject' },
  { key: 'n', action: 'needsWork' },
  { key: 'c', action: 'comment' },
  { key: 'j', action: 'next' },
  { key: 'k', action: 'previous' },
  { key: 'g', action: 'regenerate' },
] as const;
export type ReviewAction = (typeof REVIEW_KEYS)[number]['action'];

/** The app-wide shortcuts (renderer/app/HelpOverlay.tsx), listed again so the review help shows every key. */
const APP_ROWS: ShortcutRow[] = [
  { keys: ['Alt', '↓'], label: 'help.next' },
  { keys: ['Alt', '↑'], label: 'help.previous' },
  { keys: ['?'], label: 'help.open' },
  { keys: ['Esc'], label: 'help.dismiss' },
];

/** Whether a key press belongs to something the user types in (a field, or a Monaco editor). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.closest('.monaco-editor') !== null;
}

/**
 * The page-level review keys. Bare letters only outside editors and fields, and never while a dialog is
 * open; `?` opens the review help (it lists the app's keys too) instead of the app's overlay.
 */
export function useReviewKeys(enabled: boolean, run: (a: ReviewAction) => void, onHelp: () => void) {
  const latest = useRef({ run, onHelp, enabled });
  latest.current = { run, onHelp, enabled };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!latest.current.enabled || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target)) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"], [role="alertdialog"]')) return;
      if (e.key === '?') {
        e.preventDefault();
        e.stopPropagation();
        latest.current.onHelp();
        return;
      }
      const k = REVIEW_KEYS.find((x) => x.key === e.key.toLowerCase() && !e.shiftKey);
      if (!k) return;
      e.preventDefault();
      latest.current.run(k.action);
    };
    // Capture phase: the review's `?` wins over the app's (which has no room for a step's keys).
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}

/** Every shortcut of the review workspace, with its in-editor variant, and the app's own. */
export function ReviewHelp({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  const rows = [
    ...REVIEW_KEYS.map((k) => ({ key: k.key.toUpperCase(), label: t(`review.actions.${k.action}`) })),
    // The side panel's key (SidePanelToggle.tsx): not an action on the sample, but a review key all the same.
    { key: 'P', label: t('review.help.sidePanel') },
  ];
  return (
    <Dialog labelledBy="review-help-title" testId="review-help" onClose={onClose} initialFocus={closeRef} className="max-w-lg">
      <h2 id="review-help-title" className="mb-4 text-lg font-semibold">
        {t('review.help.title')}
      </h2>
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-slate-500">
            <th className="pb-2 font-medium">{t('review.help.action')}</th>
            <th className="pb-2 font-medium">{t('review.help.page')}</th>
            <th className="pb-2 font-medium">{t('review.help.inEditor')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid="help-row">
              <td className="py-1 pr-3 text-slate-700 dark:text-slate-200">{r.label}</td>
              <td className="py-1 pr-3">
                <Keys keys={[r.key]} />
              </td>
              <td className="py-1">
                <Keys keys={['Alt', r.key]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 text-xs text-slate-500">{t('review.help.editorNote')}</p>
      <h3 className="mt-4 mb-2 text-sm font-semibold">{t('review.help.app')}</h3>
      <ShortcutList rows={APP_ROWS} className="space-y-1.5" />
      <HelpClose label={t('review.help.close')} onClose={onClose} buttonRef={closeRef} />
    </Dialog>
  );
}
