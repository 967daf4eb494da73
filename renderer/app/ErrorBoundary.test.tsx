import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { resources } from '../i18n/resources';
import { ErrorBoundary, errorMessage, PanelError } from './ErrorBoundary';

// The boundary's catching itself needs a DOM (React's server renderer has no boundaries): the Playwright
// spec playwright/shell/hostile.spec.ts checks it in Chromium. Here: what the fallback says and offers.
beforeAll(async () => {
  if (!i18next.isInitialized) await i18next.use(initReactI18next).init({ resources, lng: 'en', fallbackLng: 'en', interpolation: { escapeValue: false }, initAsync: false });
});

describe('panel error boundary', () => {
  it('keeps the error as state (a RangeError from a stack overflow included)', () => {
    const e = new RangeError('Maximum call stack size exceeded');
    expect(ErrorBoundary.getDerivedStateFromError(e)).toEqual({ error: e });
    expect(ErrorBoundary.getDerivedStateFromError('plain string').error?.message).toBe('plain string');
  });

  it('says which panel failed, why, and that the others still work, with Try again and a way on', () => {
    const html = renderToStaticMarkup(<PanelError name="review-sample" error={new RangeError('Maximum call stack size exceeded')} onRetry={() => {}} onSkip={() => {}} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain('data-panel="review-sample"');
    expect(html).toContain('This panel could not be shown: Maximum call stack size exceeded. Other panels still work.');
    expect(html).toContain('>Try again</button>');
    expect(html).toContain('>Next sample</button>');
    expect(renderToStaticMarkup(<PanelError name="x" error={new Error('y')} onRetry={() => {}} />)).not.toContain('Next sample');
  });

  it('shows the message as text, short, never as HTML', () => {
    const html = renderToStaticMarkup(<PanelError name="x" error={new Error(`<img src=x onerror=alert(1)> ${'a'.repeat(1000)}`)} onRetry={() => {}} />);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(errorMessage(new Error('a'.repeat(1000))).length).toBe(301);
    expect(errorMessage(new Error('Ends with a full stop.'))).toBe('Ends with a full stop');
    expect(renderToStaticMarkup(<PanelError name="x" error={{}} onRetry={() => {}} />)).toContain('could not be shown: an unexpected error.');
  });

  it('in Chinese too', async () => {
    await i18next.changeLanguage('zh-CN');
    try {
      expect(renderToStaticMarkup(<PanelError name="x" error={new Error('boom')} onRetry={() => {}} />)).toContain('此面板无法显示：boom。');
    } finally {
      await i18next.changeLanguage('en');
    }
  });

  it('renders its children while nothing failed', () => {
    expect(renderToStaticMarkup(<ErrorBoundary name="x"><p>fine</p></ErrorBoundary>)).toBe('<p>fine</p>');
  });
});
