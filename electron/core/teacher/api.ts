import { router } from '../api/trpc';

/** Teachers and trace generation API. */
export const teacherRouter = router({});
