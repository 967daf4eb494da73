import fs from 'node:fs/promises';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (p: string) => Promise<string>;
}

/**
 * Thrown by processIO.stdout once the reader of the output pipe has gone (`distillery traces P | head -1`):
 * the command stops at its next line and main() exits 0, as Unix tools do on a closed pipe.
 */
export class OutputClosed extends Error {
  constructor() {
    super('the output pipe was closed by its reader');
  }
}

const isEpipe = (e: unknown) => (e as NodeJS.ErrnoException | null | undefined)?.code === 'EPIPE';
const line = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);

export const processIO: CliIO = {
  stdout: (s) => {
    // A failed write to a pipe marks the stream errored at once; the 'error' event only comes on a later tick.
    if (isEpipe(process.stdout.errored)) throw new OutputClosed();
    process.stdout.write(line(s));
  },
  stderr: (s) => {
    if (!isEpipe(process.stderr.errored)) process.stderr.write(line(s));
  },
  readFile: (p) => fs.readFile(p, 'utf8'),
};

let guarded = false;
/**
 * Without a listener, EPIPE on stdout or stderr is an unhandled 'error' event: Node prints a stack and exits 1.
 * A closed pipe is the reader saying it has enough, so it is ignored here and ends the command via OutputClosed.
 */
export function guardClosedPipes(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (!isEpipe(e)) throw e;
    });
  }
}

/** A bad argument or path: printed as one line, exit code 2. */
export class UsageError extends Error {}
