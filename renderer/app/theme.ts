/**
 * Light / dark: the user's choice (kept in this browser), or the OS's when they chose "system". Tailwind's
 * `dark:` variant is bound to the `dark` class on <html> (styles.css), so one place decides for every view,
 * Monaco included (it asks `isDark()`).
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'distillery.theme';
const listeners = new Set<() => void>();

function media(): MediaQueryList | null {
  return typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
}

export function themeChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function isDark(): boolean {
  const c = themeChoice();
  return c === 'dark' || (c === 'system' && Boolean(media()?.matches));
}

export function applyTheme(): void {
  const dark = isDark();
  document.documentElement.classList.toggle('dark', dark);
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
  for (const l of listeners) l();
}

export function setThemeChoice(c: ThemeChoice): void {
  try {
    if (c === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, c);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  applyTheme();
}

export function onThemeChange(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Call once at start-up: applies the choice and follows the OS while the choice is "system". */
export function initTheme(): void {
  applyTheme();
  media()?.addEventListener('change', () => {
    if (themeChoice() === 'system') applyTheme();
  });
}
