import path from 'node:path';
import { expect, test } from '../fixtures';
import { ProjectPage } from '../pages/ProjectPage';

test.describe('Project step: sample project', () => {
  test('suggests <home>/Distillery/sample, creates the sample and shows its counts', async ({ app, page, host }, testInfo) => {
    test.setTimeout(240_000);
    await app.open();
    const project = new ProjectPage(page);
    await expect(project.sampleDir).toHaveValue(path.join(host.home, 'Distillery', 'sample'));
    await project.sampleButton.click();
    await project.expectDashboard('Sample project');
    await expect(project.count('questions')).toHaveText('320');
    await expect(page.getByTestId('domain-count')).toHaveText('8 domains');
    await expect(page.getByTestId('domain-bars').getByRole('listitem')).toHaveCount(8);
    // The environment check runs Python (importing torch can take half a minute on a busy machine):
    // it shows either the versions or the sentence telling to run npm run setup:python.
    await expect(page.getByTestId('env-check')).toContainText(/Python environment ready|setup:python/, { timeout: 150_000 });
    await app.snap(testInfo, 'project-dashboard-sample');

    // A second try into the same folder says so, and offers to open the existing project instead.
    await project.closeButton.click();
    await project.sampleButton.click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('already holds a Distillery project');
    await alert.getByRole('button', { name: 'Open the existing project' }).click();
    await expect(project.count('questions')).toHaveText('320');
  });
});
