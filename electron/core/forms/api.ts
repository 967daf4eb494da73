import { z } from 'zod';
import { projectProcedure, router } from '../api/trpc';
import { clearForm, FORM_STEPS, getForm, putForm } from './store';

const step = z.enum(FORM_STEPS);
// A form is a small object of settings; 64 KiB is far above any step's form and stops a runaway write.
const value = z.record(z.string(), z.unknown()).refine((v) => JSON.stringify(v).length <= 65_536, { message: 'the form is larger than 64 KiB' });

/** A step's form, kept in the project (survives leaving the step, a restart, another window). */
export const formsRouter = router({
  get: projectProcedure.input(z.object({ step })).query(({ ctx, input }) => getForm(ctx.project.db, input.step)),
  put: projectProcedure.input(z.object({ step, value })).mutation(({ ctx, input }) => {
    putForm(ctx.project.db, input.step, input.value);
    return null;
  }),
  clear: projectProcedure.input(z.object({ step })).mutation(({ ctx, input }) => {
    clearForm(ctx.project.db, input.step);
    return null;
  }),
});
