import { z } from 'zod';
import { publicProcedure, router } from '../api/trpc';
import { egressSummary, offlineState, setSetting } from '../egress';
import { runDoctor } from './doctor';

/**
 * The Project step's preflight panel: the doctor's checks (with the open project's model folders and
 * teachers when one is open), the egress log's summary, the offline and allow-remote-teachers switches.
 */
export const doctorRouter = router({
  run: publicProcedure.input(z.object({ refresh: z.boolean().optional() }).optional()).query(({ ctx, input }) => {
    const p = ctx.engine.project;
    return runDoctor({ db: p?.db, projectDir: p?.dir, refresh: input?.refresh ?? false });
  }),
  egress: publicProcedure.query(() => ({ ...egressSummary(10), offline: offlineState() })),
  setOffline: publicProcedure.input(z.object({ offline: z.boolean() })).mutation(({ input }) => {
    setSetting('offline', input.offline);
    return offlineState();
  }),
  setAllowRemoteTeachers: publicProcedure.input(z.object({ allow: z.boolean() })).mutation(({ input }) => {
    setSetting('allowRemoteTeachers', input.allow);
    return offlineState();
  }),
});
