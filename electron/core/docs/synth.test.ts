import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChatServer } from '../augment/testing';
import { JobRunner } from '../jobs';
import { createProject } from '../store/project';
import { saveTeacher } from '../teacher/store';
import { FIXTURE_FACTS, writeFixtures } from './fixtures';
import { addDocuments } from './ingest';
import { previewSynthesis } from './preview';
import { countSynthesized, questionSource, synthOutcomes } from './store';
import { startOrResumeSynthesis, synthKind } from './synth';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
const files = writeFixtures(path.join(tmp, 'in'));
const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** The scripted teacher: a good question and a hallucinated quote for the travel chunk, a malformed reply for working time, a 400 for receipts. */
function reply(prompt: string): string | { status: number } {
  if (prompt.includes('Business travel must be approved')) {
    return '```json\n' + JSON.stringify({
      questions: [
        { type: 'calculation', question: 'An employee stays 3 nights in a capital city at EUR 150 a night. How much is reimbursed?', answer: 'EUR 360', quote: FIXTURE_FACTS.pdfQuote.replace('EUR 120', 'EUR 120\n') },
        { type: 'what_if', question: 'What if the hotel were outside a capital city?', answer: 'EUR 90 per night', quote: 'Outside capital cities hotels are reimbursed up to EUR 100.' },
      ],
    }) + '\n```';
  }
  if (prompt.includes('The regular working week')) return 'Sure! Here are your questions: {"questions": [ {"question": "unterminated';
  if (prompt.includes('Every expense needs an original receipt')) return { status: 400 };
  return JSON.stringify({ questions: [{ type: 'multi_step', question: `Question about: ${prompt.slice(prompt.indexOf('"""') + 4, prompt.indexOf('"""') + 40)}`, answer: 'yes', quote: 'not in any passage at all, surely' }] });
}

describe('questions from chunks', () => {
  it('keeps a supported question with its chunk and quote, rejects a hallucinated quote and a malformed reply with reasons, fails a 400 item alone', async () => {
    const server = await startChatServer((p) => reply(p));
    cleanup.push(() => server.close());
    const project = createProject(path.join(tmp, 'p1'));
    cleanup.push(() => project.close());
    saveTeacher(project.db, { name: 'scripted', baseUrls: [server.url], model: 'scripted-model', priceInput: 1, priceOutput: 2 });
    await addDocuments(project, [{ path: files.pdf }, { path: files.docx }, { path: files.html }], { ocr: false });

    const preview = await previewSynthesis(project, { teacher: 'scripted', perChunk: 2 });
    expect(preview.chunksTried).toBe(3);
    expect(preview.items.length).toBeGreaterThan(0);
    expect(preview.estimate.requests).toBe(preview.chunksTotal);
    expect(preview.estimate.price).not.toBeNull();
    expect(countSynthesized(project.db)).toBe(0); // a preview writes nothing

    const runner = new JobRunner(project).register(synthKind);
    cleanup.push(() => runner.close());
    const { jobId } = startOrResumeSynthesis(runner, { teacher: 'scripted', perChunk: 2, concurrency: 2 });
    const job = await runner.wait(jobId);
    expect(job.status).toBe('done');
    expect(job.failed).toBe(1); // the chunk answered with HTTP 400
    expect((project.db.prepare("SELECT error FROM job_items WHERE job_id = ? AND status = 'failed'").pluck().get(jobId) as string)).toMatch(/400/);

    const out = synthOutcomes(project.db, jobId);
    expect(out.counts.accepted).toBe(1);
    const reasons = out.rows.filter((r) => r.status === 'rejected').map((r) => r.reason);
    expect(reasons).toContain('the quote does not occur in the chunk: "Outside capital cities hotels are reimbursed up to EUR 100."');
    expect(reasons.some((r) => /^the teacher's reply is not valid JSON/.test(r ?? ''))).toBe(true);
    expect(out.rows.find((r) => /not valid JSON/.test(r.reason ?? ''))!.raw).toContain('Sure! Here are your questions');

    const q = project.db.prepare("SELECT id, question, answer, source FROM questions WHERE source = 'synthesized'").all() as { id: number; question: string; answer: string; source: string }[];
    expect(q).toHaveLength(1);
    expect(q[0]!.answer).toBe('EUR 360');
    const src = questionSource(project.db, q[0]!.id)!;
    expect(src.document.name).toBe('travel.pdf');
    expect(src.chunk.headingPath).toEqual(['Travel expenses']);
    expect(src.chunk.text.slice(src.quoteStart!, src.quoteEnd!)).toBe(FIXTURE_FACTS.pdfQuote);

    // The same settings again: a new run whose questions are exact duplicates of the pool's, kept out and said so.
    const again = startOrResumeSynthesis(runner, { teacher: 'scripted', perChunk: 2, concurrency: 2 });
    await runner.wait(again.jobId);
    const out2 = synthOutcomes(project.db, again.jobId);
    expect(out2.counts.accepted).toBe(0);
    expect(out2.rows.find((r) => r.status === 'duplicate')!.reason).toBe(`duplicate of question #${q[0]!.id}`);
    expect(countSynthesized(project.db)).toBe(1);
  });

  it('says what is missing before asking anything', async () => {
    const project = createProject(path.join(tmp, 'p2'));
    cleanup.push(() => project.close());
    saveTeacher(project.db, { name: 't', baseUrls: ['http://127.0.0.1:9/v1'], model: 'm' });
    const runner = new JobRunner(project).register(synthKind);
    cleanup.push(() => runner.close());
    expect(() => startOrResumeSynthesis(runner, { teacher: 't' })).toThrow(/There are no document chunks to write questions from; add documents first/);
    expect(() => startOrResumeSynthesis(runner, { teacher: 'nobody' })).toThrow(/nobody/);
  });
});
