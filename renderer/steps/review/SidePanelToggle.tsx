import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../app/ui';
import { isTyping } from './keys';

const KEY = 'distillery.review.sidePanel';

function saved(): boolean {
  try {
    return localStorage.getItem(KEY) === 'collapsed';
  } catch {
    return false;
  }
}

/**
 * Whether the review's side panel (preview, history, regenerate) is collapsed, remembered in this browser.
 * P toggles it outside the editors and fields, Alt+P anywhere (also inside an editor); never while a
 * dialog is open.
 */
export function useSidePanel(enabled: boolean): { collapsed: boolean; setCollapsed: (c: boolean) => void; toggle: () => void } {
  const [collapsed, setCollapsed] = useState(saved);
  useEffect(() => {
    try {
      localStorage.setItem(KEY, collapsed ? 'collapsed' : 'open');
    } catch {
      // Storage refused (private mode): the choice lasts for this page only.
    }
  }, [collapsed]);
  const toggle = useCallback(() => setCollapsed((c) => !c), []);
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.code !== 'KeyP' || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) return;
      if (!e.altKey && isTyping(e.target)) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"], [role="alertdialog"]')) return;
      e.preventDefault();
      toggle();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, toggle]);
  return { collapsed, setCollapsed, toggle };
}

/** The button that hides or shows the side panel; its key is shown beside the label. */
export function SidePanelToggle({ collapsed, onToggle }: { collapsed: boolean; onToggle: () => void }) {
  const { t } = useTranslation();
  return (
    <Button className="!py-1 text-xs" aria-expanded={!collapsed} aria-keyshortcuts="P Alt+P" title={t('review.side.toggleHint')} onClick={onToggle} data-testid="side-toggle">
      {collapsed ? t('review.side.show') : t('review.side.hide')}
      <kbd className="ml-1 hidden rounded border border-current/30 px-1 font-mono text-[10px] opacity-70 2xl:inline">P</kbd>
    </Button>
  );
}

/**
 * Classes for the element around the sample pane: collapsed, the pane's side column (its <aside>) is
 * hidden and the editors take the whole width. Set from outside so the pane itself stays as it is.
 */
export const collapsedPane = '[&_[data-testid=sample]]:grid-cols-[minmax(0,1fr)] [&_[data-testid=sample]>aside]:hidden';
