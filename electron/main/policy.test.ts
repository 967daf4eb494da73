import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  appResponseHeaders,
  externalUrl,
  isAppUrl,
  isLinkClickDisposition,
  isSpaRoute,
  mimeType,
  navigationAllowed,
  resolveAppPath,
  senderProblem,
  withCsp,
} from './policy';

const root = path.resolve('/srv/distillery/out/renderer');

describe('content security policy', () => {
  it('has every directive the shell promises', () => {
    for (const d of [
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "worker-src 'self' blob:",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(CONTENT_SECURITY_POLICY).toContain(d);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
    expect(CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith('script-src'))).toBe("script-src 'self'");
  });

  it('replaces a CSP already in the response, whatever its case', () => {
    const h = withCsp({ 'content-security-policy': ["default-src *"], 'Content-Type': 'text/html' });
    expect(h['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(h['content-security-policy']).toBeUndefined();
    expect(h['Content-Type']).toEqual(['text/html']);
    expect(withCsp(undefined)['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });

  it('puts the CSP and nosniff on every app:// response', () => {
    const h = appResponseHeaders('/x/index.html');
    expect(h['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['Content-Type']).toBe('text/html; charset=utf-8');
  });
});

describe('navigation and external links', () => {
  it('allows only the app origin', () => {
    expect(navigationAllowed(APP_ENTRY_URL)).toBe(true);
    expect(navigationAllowed('app://distillery/steps/review?x=1#a')).toBe(true);
    for (const bad of [
      'https://example.com/',
      'http://127.0.0.1:5917/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'app://user:pw@distillery/',
      'javascript:alert(1)',
      'data:text/html,hi',
      'devtools://devtools/',
      'not a url',
      '',
    ]) {
      expect(navigationAllowed(bad), bad).toBe(false);
    }
    expect(isAppUrl(null)).toBe(false);
  });

  it('hands only http(s) URLs to the OS browser', () => {
    expect(externalUrl('https://huggingface.co/simplescaling/s1K')).toBe('https://huggingface.co/simplescaling/s1K');
    expect(externalUrl('http://example.com')).toBe('http://example.com/');
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://distillery/', 'ms-msdt:/id', 'https://u:p@example.com/', 'garbage']) {
      expect(externalUrl(bad), bad).toBeNull();
    }
  });

  it('treats only link-click dispositions as user clicks', () => {
    expect(isLinkClickDisposition('foreground-tab')).toBe(true);
    expect(isLinkClickDisposition('background-tab')).toBe(true);
    expect(isLinkClickDisposition('new-window')).toBe(false);
    expect(isLinkClickDisposition('other')).toBe(false);
  });
});

describe('app:// protocol path resolution', () => {
  it('maps app URLs to files under the renderer folder', () => {
    expect(resolveAppPath(root, 'app://distillery/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://distillery/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://distillery/assets/index-abc.js?v=1#x')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveAppPath(root, 'app://distillery/fonts/KaTeX%20Main.woff2')).toBe(path.join(root, 'fonts', 'KaTeX Main.woff2'));
  });

  it('refuses traversal, other hosts and malformed paths', () => {
    for (const bad of [
      'app://distillery/..\\..\\package.json',
      'app://distillery/assets/%2e%2e%2f%2e%2e%2fsecret',
      'app://distillery/..%2f..%2fsecret',
      'app://distillery/..%5c..%5csecret',
      'app://distillery/a%00.js',
      'app://distillery/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
      'https://distillery/index.html',
    ]) {
      expect(resolveAppPath(root, bad), bad).toBeNull();
    }
  });

  it('never resolves outside the root, whatever the input', () => {
    // The URL parser already folds literal and %2e dot-segments; what is left must still stay inside root.
    const samples = ['/', '/..', '/./..', '/a/../../b', '/%2E%2E/x', '/%2e%2e/%2e%2e/etc/passwd', '/../package.json', '//x/../..', '/a/./b'];
    for (const s of samples) {
      const got = resolveAppPath(root, `app://distillery${s}`);
      if (got !== null) {
        const rel = path.relative(root, got);
        expect(rel.startsWith('..') || path.isAbsolute(rel), s).toBe(false);
      }
    }
  });

  it('knows client routes and MIME types', () => {
    expect(isSpaRoute(path.join(root, 'review'))).toBe(true);
    expect(isSpaRoute(path.join(root, 'app.js'))).toBe(false);
    expect(mimeType('a.WOFF2')).toBe('font/woff2');
    expect(mimeType('a.wasm')).toBe('application/wasm');
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
  });
});

describe('IPC sender check', () => {
  const ok = { isMainWindow: true, isMainFrame: true, url: 'app://distillery/index.html' };
  it('accepts the main frame of the main window on app://', () => {
    expect(senderProblem(ok)).toBeNull();
  });
  it('refuses other windows, sub-frames, foreign URLs and gone frames', () => {
    expect(senderProblem({ ...ok, isMainWindow: false })).toMatch(/window/);
    expect(senderProblem({ ...ok, isMainFrame: false })).toMatch(/sub-frame/);
    expect(senderProblem({ ...ok, url: 'https://evil.example/' })).toMatch(/evil\.example/);
    expect(senderProblem({ ...ok, url: 'file:///tmp/x.html' })).toMatch(/not the app/);
    expect(senderProblem({ ...ok, url: null })).toMatch(/gone/);
  });
});
