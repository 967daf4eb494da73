// The preload exposes exactly one thing to the page: the tRPC transport (window.electronTRPC).
// It runs sandboxed, so its bundle may require only 'electron'.
import { exposeElectronTRPC } from 'trpc-electron/main';

exposeElectronTRPC();
