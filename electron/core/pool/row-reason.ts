/**
 * Why a row of an imported file was rejected, as an engine message the UI can translate (issue 19 §11).
 * The readers (pool/readers.ts) and the shape mapper (pool/shapes.ts) give English reasons; each kind of
 * reason gets a code, and the technical rest (a parser's own words, a size) travels as the `detail` param.
 */
import { type EngineMessage, message } from '../util/messages';
import { MAX_NESTING, TOO_DEEP } from './nesting';

/** The part of a reason after its "kind: " prefix, or the whole reason. */
function after(reason: string, prefix: string): string {
  return reason.slice(prefix.length).replace(/^:\s*/, '').trim();
}

export function rowReason(reason: string): EngineMessage {
  const quoted = /"([^"]+)"/.exec(reason)?.[1] ?? '';
  if (reason === TOO_DEEP) return message('row_too_deep', { max: MAX_NESTING }, reason);
  if (reason === 'empty question') return message('row_empty_question', {}, reason);
  if (reason.startsWith('missing reference answer')) {
    return quoted ? message('row_no_reference_in', { field: quoted }, reason) : message('row_no_reference', {}, reason);
  }
  if (reason.startsWith('missing question')) return quoted ? message('row_no_question_in', { field: quoted }, reason) : message('row_no_question', {}, reason);
  if (reason.startsWith('invalid UTF-8')) return message('row_invalid_utf8', {}, reason);
  if (reason.startsWith('invalid JSON')) return message('row_invalid_json', { detail: after(reason, 'invalid JSON') }, reason);
  if (reason.startsWith('broken CSV quoting')) return message('row_bad_quoting', { detail: after(reason, 'broken CSV quoting') }, reason);
  if (reason.startsWith('wrong number of columns')) return message('row_column_count', { detail: after(reason, 'wrong number of columns') }, reason);
  if (reason.startsWith('field over the size limit')) return message('row_too_large', { detail: after(reason, 'field over the size limit') }, reason);
  if (reason.startsWith('wrong type')) return message('row_wrong_type', { detail: after(reason, 'wrong type') }, reason);
  return message('row_unreadable', { detail: reason.replace(/^unreadable row:\s*/, '') }, reason);
}

/** The first `max` rejected rows, each with its coded reason (what the import and preview answers carry). */
export function codedRows<R extends { reason: string }>(rows: readonly R[], max = 1000): (R & { reasonMessage: EngineMessage })[] {
  return rows.slice(0, max).map((r) => ({ ...r, reasonMessage: rowReason(r.reason) }));
}
