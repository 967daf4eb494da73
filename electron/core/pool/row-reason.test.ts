import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from './importer';
import { codedRows } from './row-reason';
import { tmpDir, trackedProjects } from './fixtures.test-helpers';

const project = trackedProjects();

/** Issue 19 §11: the reasons the real readers and shape mapper give a rejected row each get a code (renderer/i18n/engine-messages.test.ts checks both languages have it). */
describe('coded reasons of rejected rows', () => {
  it('maps the reasons of a real import (bad JSON, a list, a missing question, an empty one) to row_* codes', async () => {
    const dir = tmpDir('row-reason');
    const file = path.join(dir, 'bad.jsonl');
    const lines = [JSON.stringify({ question: 'Fine?' }), '{"question": "broken', '[1, 2]', JSON.stringify({ other: 'x' }), JSON.stringify({ question: '  ' })];
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const p = project();
    const r = await importFile(p, file, { dryRun: true });
    const coded = codedRows(r.rejected);
    expect(coded.map((x) => [x.line, x.reasonMessage.code])).toEqual([
      [2, 'row_invalid_json'],
      [3, 'row_wrong_type'],
      [4, 'row_no_question_in'],
      [5, 'row_empty_question'],
    ]);
    expect(coded[0]!.reasonMessage.text).toBe(r.rejected[0]!.reason);
  });
});
