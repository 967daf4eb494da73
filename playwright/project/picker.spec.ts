import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '../fixtures';
import { ProjectPage } from '../pages/ProjectPage';

test.describe('Project step: picker', () => {
  test('opens with the printed URL and takes the token out of the address bar', async ({ app, page }, testInfo) => {
    await app.open();
    await expect(page).not.toHaveURL(/token=/);
    await expect(app.header).toContainText('Distillery');
    await expect(app.header.getByTestId('header-project')).toHaveText('No project open');
    await app.expectActive('project');
    await expect(page.getByRole('heading', { name: 'Start with a project' })).toBeVisible();
    // The token lives in sessionStorage, so a reload of the token-less URL still reaches the API.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Create a project' })).toBeVisible();
    await app.snap(testInfo, 'project-picker');
  });

  test('creates a project, shows its dashboard, and lists it under recent projects', async ({ app, page, uniqueDir }, testInfo) => {
    const dir = uniqueDir('created');
    await app.open();
    const project = new ProjectPage(page);
    await project.create(dir, 'Number theory set');
    await project.expectDashboard('Number theory set');
    await expect(app.header.getByTestId('header-project')).toHaveText('Open project: Number theory set');
    for (const s of ['questions', 'excluded', 'traces', 'selected', 'accepted'] as const) await expect(project.count(s)).toHaveText('0');
    await expect(page.getByText('No questions yet: import a pool in the Questions step.')).toBeVisible();
    await expect(page.getByText('No jobs in this project.', { exact: false })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Environment' })).toBeVisible();
    expect(fs.existsSync(path.join(dir, 'project.sqlite'))).toBe(true);
    await app.snap(testInfo, 'project-dashboard-new');

    await project.closeButton.click();
    await expect(project.recent).toContainText('Number theory set');
    await expect(project.recent).toContainText(dir);
  });

  test('shows the API error sentence inline when the folder already holds a project', async ({ app, page, uniqueDir }) => {
    const dir = uniqueDir('twice');
    await app.open();
    const project = new ProjectPage(page);
    await project.create(dir);
    await project.expectDashboard(path.basename(dir));
    await project.closeButton.click();
    await project.create(dir);
    await expect(page.getByRole('alert')).toContainText('already holds a Distillery project');
  });

  test('opens a project through the server-side folder browser, which marks project folders', async ({ app, page, uniqueDir }, testInfo) => {
    const dir = uniqueDir('browse');
    await app.open();
    const project = new ProjectPage(page);
    await project.create(dir, 'Browsed');
    await project.expectDashboard('Browsed');
    await project.closeButton.click();

    await project.openDir.fill(path.dirname(dir));
    await page.locator('#open-dir').locator('..').getByRole('button', { name: 'Browse…' }).click();
    const browser = page.getByRole('dialog', { name: 'Choose a folder' });
    await expect(browser.getByTestId('browser-path')).toHaveText(path.dirname(dir));
    const entry = browser.getByRole('button', { name: new RegExp(path.basename(dir)) });
    await expect(entry).toContainText('project');
    await entry.click();
    await expect(browser.getByText('This folder is a Distillery project.')).toBeVisible();
    await app.snap(testInfo, 'project-folder-browser');
    await browser.getByRole('button', { name: 'Choose this folder' }).click();
    await expect(project.openDir).toHaveValue(dir);
    await project.openButton.click();
    await project.expectDashboard('Browsed');
  });

  test('forgets a recent project without touching its folder', async ({ app, page, uniqueDir }) => {
    const dir = uniqueDir('forget');
    await app.open();
    const project = new ProjectPage(page);
    await project.create(dir, 'To forget');
    await project.expectDashboard('To forget');
    await project.closeButton.click();
    const row = project.recent.getByRole('listitem').filter({ hasText: 'To forget' });
    await expect(row).toBeVisible();
    await row.getByRole('button', { name: /Forget To forget/ }).click();
    await expect(project.recent).not.toContainText('To forget');
    expect(fs.existsSync(path.join(dir, 'project.sqlite'))).toBe(true);
  });
});
