import type { api } from '../../api/client';

export type PublicTeacher = Awaited<ReturnType<typeof api.teacher.list.query>>[number];
export type Preset = Awaited<ReturnType<typeof api.teacher.presets.query>>[number];
export type TestReport = Awaited<ReturnType<typeof api.teacher.test.mutate>>[number];
export type Discovered = Awaited<ReturnType<typeof api.teacher.discover.query>>[number];
export type LocalServer = Awaited<ReturnType<typeof api.localServers.list.query>>[number];
export type TeacherSave = Parameters<typeof api.teacher.save.mutate>[0];

/** A short teacher name from a model id or folder path: its last part, in safe characters. */
export function nameFrom(model: string, prefix = ''): string {
  const last = model.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? model;
  return (prefix + last).replace(/[^\w.-]+/g, '-').slice(0, 80) || 'teacher';
}

export const pill = 'rounded px-1.5 py-0.5 text-[11px] font-medium';
export const muted = 'text-xs text-slate-500 dark:text-slate-400';
