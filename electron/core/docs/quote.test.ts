import { describe, expect, it } from 'vitest';
import { parseReply } from './prompt';
import { findQuote } from './quote';

describe('quote check', () => {
  const chunk = 'Hotel costs are reimbursed up to EUR 120\nper night in “capital” cities.\n\n每日餐费上限为 40 欧元。超出部分自行承担。';
  it('matches across line breaks, curly quotes, case and full-width forms, and says where', () => {
    const r = findQuote(chunk, 'hotel costs are reimbursed up to EUR 120 per night in "capital" cities');
    expect(r.ok).toBe(true);
    if (r.ok) expect(chunk.slice(r.start, r.end)).toBe('Hotel costs are reimbursed up to EUR 120\nper night in “capital” cities');
    const zh = findQuote(chunk, '每日餐费上限为４０欧元');
    expect(zh.ok).toBe(true);
    if (zh.ok) expect(chunk.slice(zh.start, zh.end)).toBe('每日餐费上限为 40 欧元');
  });
  it('takes an ellipsis as omitted text, in order', () => {
    expect(findQuote(chunk, 'Hotel costs are reimbursed … in "capital" cities').ok).toBe(true);
    expect(findQuote(chunk, 'in "capital" cities ... Hotel costs are reimbursed').ok).toBe(false);
  });
  it('rejects an invented quote and a too-short one with the reason', () => {
    expect(findQuote(chunk, 'Hotel costs are reimbursed up to EUR 150 per night')).toEqual({ ok: false, reason: 'the quote does not occur in the chunk: "Hotel costs are reimbursed up to EUR 150 per night"' });
    expect(findQuote(chunk, 'EUR')).toMatchObject({ ok: false, reason: expect.stringMatching(/too short/) });
  });
});

describe('reply parsing', () => {
  it('takes an empty questions list as a rejected reply with its reason, so the chunk still leaves an outcome', () => {
    expect(parseReply('```json\n{"questions": []}\n```')).toEqual({ ok: false, reason: 'the teacher\'s reply has an empty "questions" list' });
    expect(parseReply('[]')).toMatchObject({ ok: false });
    expect(parseReply('{"questions": [{"question": "Q?", "answer": "A", "quote": "a long enough quote"}]}')).toMatchObject({ ok: true, items: [{ ok: true }] });
  });
});
