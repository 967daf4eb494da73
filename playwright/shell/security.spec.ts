import { expect, test } from '../fixtures';

test.describe('Browser-mode host', () => {
  test('refuses API calls without the token', async ({ request, host }) => {
    expect((await request.get(`${host.origin}/api/health`)).status()).toBe(401);
    expect((await request.get(`${host.origin}/api/trpc/project.current`)).status()).toBe(401);
    expect((await request.get(`${host.origin}/api/health`, { headers: { Authorization: 'Bearer wrong' } })).status()).toBe(401);
    const ok = await request.get(`${host.origin}/api/health`, { headers: { Authorization: `Bearer ${host.token}` } });
    expect(ok.status()).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
  });

  test('serves the interface with a CSP that allows no inline script', async ({ request, host }) => {
    const res = await request.get(`${host.origin}/`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  test('the page raises no CSP violation or script error', async ({ app, page }) => {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await app.open();
    await app.step('questions').click();
    await app.step('project').click();
    expect(problems).toEqual([]);
  });
});
