import { initTRPC, TRPCError } from '@trpc/server';
import type { Engine } from '../engine';
import { isUserError } from '../util/errors';

export interface Context {
  engine: Engine;
}

interface Issue {
  path?: readonly (PropertyKey | { key: PropertyKey })[];
  message: string;
}

function describeIssues(issues: readonly Issue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => {
      const field = (i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
      return field ? `field "${field}": ${i.message}` : i.message;
    })
    .join('; ');
}

/** Absolute paths (POSIX, Windows, file:// URLs) in an internal error's message: they say where the code lives. */
const ABSOLUTE_PATH = /(?<=^|[\s'"`(=[,])(?:file:\/\/\/?|[A-Za-z]:[\\/]|\/)[^\s'"`)\],]*/g;

/** An internal error's message cut to one short line without paths, for a sentence the user can read. */
export function publicFault(message: string): string {
  const line = (message.split('\n')[0] ?? '').replace(ABSOLUTE_PATH, '…').trim();
  const short = line.length > 160 ? `${line.slice(0, 157)}…` : line;
  return `Something went wrong in the engine: ${short || 'an unexpected error'} — see the log.`;
}

const t = initTRPC.context<Context>().create({
  sse: { ping: { enabled: true, intervalMs: 5_000 }, client: { reconnectAfterInactivityMs: 15_000 } },
  // Responses carry a sentence and codes only, never a stack or a source path (in development too):
  // a response can reach any page that gets hold of the token, and paths tell it where the code lives.
  errorFormatter({ shape, error, path }) {
    const cause = error.cause as { issues?: Issue[] } | undefined;
    const issues = Array.isArray(cause?.issues) ? cause.issues : null;
    const userCode = isUserError(error.cause) ? error.cause.code : null;
    const internal = error.code === 'INTERNAL_SERVER_ERROR' && !userCode;
    if (internal) console.error(`Distillery engine: ${path ?? 'a request'} failed:`, error.cause ?? error);
    const message = issues ? `Invalid input: ${describeIssues(issues)}.` : internal ? publicFault(error.message) : shape.message;
    return {
      code: shape.code,
      message,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, userCode, issues: issues ? describeIssues(issues) : null },
    };
  },
});

/** Maps a UserError (a sentence meant for the user) to BAD_REQUEST with its text; anything else stays internal. */
const userErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isUserError(result.error.cause)) {
    return { ...result, error: new TRPCError({ code: 'BAD_REQUEST', message: result.error.cause.message, cause: result.error.cause }) };
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(userErrors);

/** A procedure that needs an open project. */
export const projectProcedure = publicProcedure.use(({ ctx, next }) => {
  const project = ctx.engine.project;
  const runner = ctx.engine.runner;
  if (!project || !runner) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'No project is open. Create, open or try the sample project first.' });
  return next({ ctx: { ...ctx, project, runner } });
});
