import fs from 'node:fs/promises';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (p: string) => Promise<string>;
}

export const processIO: CliIO = {
  stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
  readFile: (p) => fs.readFile(p, 'utf8'),
};

/** A bad argument or path: printed as one line, exit code 2. */
export class UsageError extends Error {}
