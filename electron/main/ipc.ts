import { createIPCHandler } from 'trpc-electron/main';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { appRouter } from '../core/api/router';
import type { Context } from '../core/api/trpc';
import type { Engine } from '../core/engine';
import { senderProblem } from './policy';

/**
 * Serves the engine's one API over IPC. Every message's sending frame is checked: only the top frame of
 * the main window, showing the app's own app:// page, may call the engine.
 */
export function serveApi(win: BrowserWindow, engine: Engine): void {
  const createContext = async ({ event }: { event: IpcMainInvokeEvent }): Promise<Context> => {
    const frame = event.senderFrame;
    const problem = senderProblem({
      isMainWindow: !win.isDestroyed() && event.sender === win.webContents,
      isMainFrame: !win.isDestroyed() && frame !== null && frame === win.webContents.mainFrame,
      url: frame?.url ?? null,
    });
    if (problem) throw new Error(problem);
    return { engine };
  };
  createIPCHandler({ router: appRouter, windows: [win], createContext });
}
