import fs from 'node:fs';
import { z } from 'zod';
import { UserError } from '../util/errors';

/** A review bundle: one JSON-lines file, a header line then one line per sample. */
export const BUNDLE_FORMAT = 'distillery-review-bundle';
export const BUNDLE_VERSION = 1;

export const bundleHeader = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  bundleId: z.string().min(1),
  projectId: z.string().min(1),
  projectName: z.string(),
  createdAt: z.string(),
  samples: z.number().int().min(0),
});
export type BundleHeader = z.infer<typeof bundleHeader>;

const status = z.enum(['todo', 'accepted', 'rejected', 'needs_work']);

export const bundleSample = z.object({
  traceId: z.number().int().positive(),
  questionId: z.number().int().positive(),
  extId: z.string().nullable(),
  question: z.string(),
  reference: z.string().nullable(),
  domain: z.string().nullable(),
  teacher: z.string().nullable(),
  /** The exporting copy's head revision and its text. */
  head: z.number().int().min(0),
  thinking: z.string(),
  answer: z.string(),
  author: z.string().nullable(),
  at: z.string().nullable(),
  /**
   * Every revision the exporting copy holds (n, digest of its text; a merge's parents: digests of texts it
   * folded in): finds the revision both copies share.
   */
  history: z.array(
    z.object({ n: z.number().int().min(0), digest: z.string(), kind: z.string(), author: z.string().nullable(), at: z.string(), parents: z.array(z.string()).default([]) }),
  ),
  /** The current decision (null: none yet) and the times of every decision made (the latest last). */
  decision: z.object({ status, reviewer: z.string().nullable(), comment: z.string().nullable(), at: z.string() }).nullable(),
  decisionHistory: z.array(z.string()),
});
export type BundleSample = z.infer<typeof bundleSample>;

function issue(e: z.ZodError): string {
  const i = e.issues[0];
  if (!i) return 'it does not match the bundle format';
  const field = i.path.map(String).join('.');
  return field ? `field "${field}": ${i.message}` : i.message;
}

/** Reads and checks a whole bundle; a bad file is a sentence naming the file and the line. */
export function readBundle(file: string): { header: BundleHeader; samples: (BundleSample & { line: number })[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`Could not read the review bundle ${file}: ${(e as Error).message}. Check the path.`, 'bundle_unreadable');
  }
  const lines = text.split('\n');
  const parse = (i: number): unknown => {
    try {
      return JSON.parse(lines[i] as string) as unknown;
    } catch (e) {
      throw new UserError(`${file} line ${i + 1} is not valid JSON (${(e as Error).message}); the bundle is damaged — ask for it to be exported again.`, 'bad_bundle');
    }
  };
  if (text.trim() === '') throw new UserError(`${file} is empty; it is not a Distillery review bundle.`, 'bad_bundle');
  const h = bundleHeader.safeParse(parse(0));
  if (!h.success) {
    throw new UserError(`${file} line 1 is not a Distillery review bundle header (${issue(h.error)}); choose a file written by "distillery bundle export".`, 'bad_bundle');
  }
  const samples: (BundleSample & { line: number })[] = [];
  const seen = new Set<number>();
  for (let i = 1; i < lines.length; i++) {
    if ((lines[i] as string).trim() === '') continue;
    const s = bundleSample.safeParse(parse(i));
    if (!s.success) throw new UserError(`${file} line ${i + 1} is not a valid bundle sample (${issue(s.error)}); the bundle is damaged — ask for it to be exported again.`, 'bad_bundle');
    if (seen.has(s.data.traceId)) throw new UserError(`${file} line ${i + 1} repeats trace ${s.data.traceId}; the bundle is damaged — ask for it to be exported again.`, 'bad_bundle');
    seen.add(s.data.traceId);
    samples.push({ ...s.data, line: i + 1 });
  }
  if (samples.length !== h.data.samples) {
    throw new UserError(`${file} holds ${samples.length} samples but its header (line 1) announces ${h.data.samples}; the file was cut short — copy it again.`, 'bad_bundle');
  }
  return { header: h.data, samples };
}
