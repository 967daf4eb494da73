// The Electron shell: lifecycle, the window, the app:// protocol and the IPC bridge to the engine.
// Everything here runs only under Electron; the engine itself (electron/core) is plain Node.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, safeStorage, session } from 'electron';
import type { BrowserWindow } from 'electron';
import { Engine } from '../core/engine';
import { registerJobKinds } from '../core/kinds';
import { pickFolder } from './dialogs';
import { serveApi } from './ipc';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { hardenAllWebContents, secureSession } from './security';
import { createMainWindow } from './window';
import { desktopSecretStore } from './secret-store';
import { setSecretStore } from '../core/teacher/secrets';
import { configDir } from '../core/util/paths';

// The bundle lives in out/main/index.js; its siblings are out/preload and out/renderer.
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '..', 'renderer');
const preloadPath = path.resolve(here, '..', 'preload', 'index.cjs');

// Both must happen synchronously, before 'ready' (no top-level await above this line).
registerAppScheme();
app.enableSandbox();

let win: BrowserWindow | null = null;
let engine: Engine | null = null;

function showWindow(): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

async function start(): Promise<void> {
  secureSession(session.defaultSession);
  hardenAllWebContents();
  handleAppProtocol(rendererDir);
  // API keys go to the OS keychain (safeStorage) on the desktop; without a real keyring (Linux basic_text
  // or unknown backend) they go to the same 0600 file as browser mode, and the log and the UI say so.
  const keys = desktopSecretStore(safeStorage, configDir());
  if (keys.warning) console.warn(keys.warning);
  setSecretStore(keys.store, { noKeyring: keys.noKeyring });
  engine = new Engine({ mode: 'electron', pickFolder });
  registerJobKinds(engine);
  win = createMainWindow(preloadPath);
  serveApi(win, engine);
  win.on('closed', () => {
    win = null;
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Distillery already runs: it gets focus (second-instance below) and this one leaves.
  app.quit();
} else {
  app.on('second-instance', showWindow);

  // One window for one engine: closing it quits, on macOS too, so that jobs stop cleanly.
  app.on('window-all-closed', () => app.quit());

  // Jobs stop before the process ends, so that they resume where they stopped on the next start.
  let closing: Promise<void> | null = null;
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    closing = (engine?.close() ?? Promise.resolve())
      .catch((err: unknown) => console.error('Distillery could not close the project cleanly:', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      console.error('Distillery could not start:', err);
      app.exit(1);
    });
}
