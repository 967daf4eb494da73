import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '../fixtures';
import { ProjectPage } from '../pages/ProjectPage';

test.describe('Project step: preflight and offline', () => {
  test('lists the checks with a status each, turns offline on and off, and says how many connections left the machine', async ({ app, page, uniqueDir }, testInfo) => {
    test.setTimeout(240_000);
    const settings = path.join(process.env.DISTILLERY_E2E_CONFIG ?? '', 'settings.json');
    await app.open();
    const project = new ProjectPage(page);
    await project.create(uniqueDir('doctor'), 'Air-gapped set');
    await project.expectDashboard('Air-gapped set');
    const panel = page.getByTestId('doctor');
    await expect(page.getByRole('heading', { name: 'Preflight', level: 2 })).toBeVisible();
    // The Python probe reads installed metadata (no torch import): quick even on a fresh config folder.
    await expect(panel.getByTestId('doctor-node')).toContainText(/ok\s*Node\s*Node \d+\./, { timeout: 150_000 });
    for (const id of ['python', 'gpu', 'disk', 'models', 'offline', 'egress']) await expect(panel.getByTestId(`doctor-${id}`)).toBeVisible();
    await expect(panel.getByTestId('doctor-models')).toContainText('The project refers to no model folder yet.');
    await expect(panel.getByTestId('egress-summary')).toHaveText(/^Connections outside this machine in this session: 0 \(0 refused\)\.$/);

    const toggle = panel.getByTestId('offline-toggle');
    await expect(toggle).not.toBeChecked();
    try {
      // A controlled checkbox: it shows the engine's setting once saved, so click and wait for that.
      await toggle.click();
      await expect(toggle).toBeChecked({ timeout: 60_000 });
      await expect(panel.getByTestId('doctor-offline')).toContainText('Offline: only this machine (loopback) is reached', { timeout: 60_000 });
      expect(JSON.parse(fs.readFileSync(settings, 'utf8'))).toEqual({ offline: true, allowRemoteTeachers: true });
      // offline wins: the remote-teachers switch is disabled meanwhile
      await expect(panel.getByTestId('remote-teachers-toggle')).toBeDisabled();
      await app.snap(testInfo, 'project-preflight-offline');
    } finally {
      if (await toggle.isChecked()) await toggle.click();
    }
    await expect(toggle).not.toBeChecked({ timeout: 60_000 });
    await expect(panel.getByTestId('doctor-offline')).toContainText('Online:', { timeout: 60_000 });
    expect(JSON.parse(fs.readFileSync(settings, 'utf8'))).toEqual({ offline: false, allowRemoteTeachers: true });

    const remote = panel.getByTestId('remote-teachers-toggle');
    await expect(remote).toBeChecked();
    try {
      await remote.click();
      await expect(remote).not.toBeChecked({ timeout: 60_000 });
      await expect(panel.getByTestId('doctor-offline')).toContainText('Online, but remote teachers are not allowed', { timeout: 60_000 });
      expect(JSON.parse(fs.readFileSync(settings, 'utf8'))).toEqual({ offline: false, allowRemoteTeachers: false });
    } finally {
      if (!(await remote.isChecked())) await remote.click();
    }
    await expect(remote).toBeChecked({ timeout: 60_000 });
  });
});
