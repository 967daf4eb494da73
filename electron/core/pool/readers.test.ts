import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../util/errors';
import { tmpDir, writeParquet } from './fixtures.test-helpers';
import { detectFormat, openFile, type Format, type RawRecord } from './readers';

const dir = tmpDir('pool-readers-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, data: string | Buffer) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, data);
  return f;
};
async function read(file: string, format: Format | 'auto' = 'auto'): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of openFile(file, format).records) out.push(r);
  return out;
}
const values = (rs: RawRecord[]) => rs.map((r) => [r.line, r.value ?? r.error]);
async function refusal(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UserError);
  return e as UserError;
}
const BOM = '\uFEFF';

describe('format detection', () => {
  it('reads the name (.gz stripped, any case) and refuses what it cannot tell', () => {
    expect(['a.jsonl', 'A.NDJSON.GZ', 'b.json', 'c.CSV', 'd.tab', 'e.pq', 'f.parquet.gz', 'g.txt', 'noext'].map(detectFormat)).toEqual([
      'jsonl', 'jsonl', 'json', 'csv', 'tsv', 'parquet', 'parquet', null, null,
    ]);
    expect(() => openFile(write('q.txt', 'x'))).toThrow(/Cannot tell the format of .*q\.txt from its name; name it \.jsonl, \.json, \.csv, \.tsv or \.parquet/);
    expect(() => openFile(path.join(dir, 'none.jsonl'))).toThrow(/does not exist; check the path/);
    expect(() => openFile(dir)).toThrow(/is not a file/);
    expect(() => openFile(write('doc.csv', '%PDF-1.7\n%âãÏÓ\n'))).toThrow(/is not a text table: it holds a PDF document/);
  });
});

describe('JSON Lines', () => {
  it('drops a BOM, CRLF line ends and blank lines, and numbers lines as a text editor does', async () => {
    const f = write('bom.jsonl', `${BOM}{"q":"a"}\r\n\r\n{"q":"b"}\r\n   \n{"q":"c"}`);
    expect(values(await read(f))).toEqual([
      [1, { q: 'a' }],
      [3, { q: 'b' }],
      [5, { q: 'c' }],
    ]);
  });

  it('rejects only the broken lines, with their line numbers', async () => {
    const bad = Buffer.concat([Buffer.from('{"q":"ok"}\n{"q": nope}\n'), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d, 0x0a]), Buffer.from('{"q":"last"}\n')]);
    const rs = await read(write('bad.jsonl', bad));
    expect(rs.map((r) => [r.line, r.value ?? r.error?.split(':')[0]])).toEqual([
      [1, { q: 'ok' }],
      [2, 'invalid JSON'],
      [3, 'invalid UTF-8'],
      [4, { q: 'last' }],
    ]);
    expect(rs[1]?.raw).toBe('{"q": nope}');
  });

  it('reads an empty file, gzip, and a ".json" file that is JSON Lines in disguise', async () => {
    expect(await read(write('empty.jsonl', ''))).toEqual([]);
    expect(await read(write('blank.jsonl', '\n\r\n\n'))).toEqual([]);
    const gz = openFile(write('g.jsonl.gz', zlib.gzipSync('{"q":"zipped"}\n')));
    expect(gz.compressed).toBe(true);
    expect(values(await read(gz.file))).toEqual([[1, { q: 'zipped' }]]);
    const disguised = openFile(write('d.json', '{"q":"a"}\n{"q":"b"}\n'));
    expect(disguised.format).toBe('jsonl');
  });
});

describe('JSON', () => {
  it('reads an array or the one array of records inside an object, BOM and CRLF included', async () => {
    expect(values(await read(write('arr.json', `${BOM}[\r\n {"q":"a"},\r\n {"q":"b"}\r\n]\r\n`)))).toEqual([
      [1, { q: 'a' }],
      [2, { q: 'b' }],
    ]);
    expect(values(await read(write('obj.json', '{"version": 2, "rows": [{"q":"x"}]}')))).toEqual([[1, { q: 'x' }]]);
    expect(values(await read(write('only.json', '{"meta": {"n": 1}, "whatever": [{"q":"y"}]}')))).toEqual([[1, { q: 'y' }]]);
    expect(await read(write('none.json', '[]'))).toEqual([]);
  });

  it('refuses an empty file, broken JSON (with its line) and a document without records, in one sentence each', async () => {
    expect((await refusal(read(write('empty.json', '')))).code).toBe('invalid_json');
    const broken = await refusal(read(write('broken.json', '[\n{"q":"a"},\n{"q": }\n]')));
    expect(broken.message).toBe(`${path.join(dir, 'broken.json')} is not valid JSON at line 3 (Unexpected token '}'); fix the file, or save it as JSON Lines so that only broken lines are rejected.`);
    const cut = await refusal(read(write('cut.json', '[{"q":"a"},\n {"q":"b"')));
    expect(cut.message).toMatch(/cut\.json is not valid JSON (at line 2 )?\([^\n]+\); fix the file/);
    expect((await refusal(read(write('scalar.json', '{"a": 1, "b": [1, 2]}')))).code).toBe('no_records');
  });
});

describe('CSV and TSV', () => {
  it('keeps quoted newlines, commas and quotes in one field; BOM and CRLF do not leak into names or values', async () => {
    const csv = `${BOM}question,answer\r\n"two\r\nlines",1\r\n"a, b","say ""hi"""\r\n\r\nplain,3\r\n`;
    expect(values(await read(write('q.csv', csv)))).toEqual([
      [1, { question: 'two\r\nlines', answer: '1' }],
      [2, { question: 'a, b', answer: 'say "hi"' }],
      [3, { question: 'plain', answer: '3' }],
    ]);
    expect(values(await read(write('q.tsv', 'question\tanswer\nx, y\t"4"\n')))).toEqual([[1, { question: 'x, y', answer: '4' }]]);
    expect(values(await read(write('spaced.csv', ' question , answer\nq,a\n')))).toEqual([[1, { question: 'q', answer: 'a' }]]);
  });

  it('reads an empty or header-only file as no rows, and rejects a row with the wrong number of columns', async () => {
    expect(await read(write('empty.csv', ''))).toEqual([]);
    expect(await read(write('header.csv', 'question,answer\r\n'))).toEqual([]);
    const rs = await read(write('cols.csv', 'question,answer\nok,1\ntoo,many,cols\nlast,2\n'));
    expect(rs.map((r) => [r.line, r.error ? r.error.split(':')[0] : 'ok'])).toEqual([
      [1, 'ok'],
      [2, 'wrong number of columns'],
      [3, 'ok'],
    ]);
    expect(rs[1]?.error).toMatch(/\(the header has 2\)$/);
  });
});

describe('Parquet (written by pyarrow)', () => {
  it('gives plain values: text, numbers, lists, nulls, Chinese', async () => {
    const f = path.join(dir, 'q.parquet');
    writeParquet(f, [
      { question: '报销需要发票吗？', answer: 42, steps: ['a', 'b'], note: null },
      { question: 'Q2', answer: 7, steps: [], note: 'n' },
    ]);
    expect(values(await read(f))).toEqual([
      [1, { question: '报销需要发票吗？', answer: 42, steps: ['a', 'b'], note: null }],
      [2, { question: 'Q2', answer: 7, steps: [], note: 'n' }],
    ]);
  });

  it('refuses a truncated file in one sentence', async () => {
    const f = path.join(dir, 'whole.parquet');
    writeParquet(f, [{ question: 'a' }]);
    const cut = write('cut.parquet', fs.readFileSync(f).subarray(0, 40));
    const e = await refusal(read(cut));
    expect(e.code).toBe('bad_parquet');
    expect(e.message).toMatch(/cut\.parquet is not a readable Parquet file \(.*\); check that it is complete, or export it again\.$/);
  });
});
