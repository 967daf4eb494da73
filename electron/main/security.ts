import { app, shell } from 'electron';
import type { Session, WebContents } from 'electron';
import { externalUrl, isLinkClickDisposition, navigationAllowed, withCsp } from './policy';

/** Session-wide rules: our CSP on every response, and no permission (camera, notifications, ...) ever granted. */
export function secureSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

function harden(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  // No <webview>: it would be a second, unchecked renderer.
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url, disposition }) => {
    // A link the user clicked (target=_blank) opens in their browser when it is http(s); nothing opens here.
    const external = externalUrl(url);
    if (external && isLinkClickDisposition(disposition)) void shell.openExternal(external);
    return { action: 'deny' };
  });
}

/** Applies the navigation rules to every webContents the app ever creates, not only the first window. */
export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => harden(contents));
}
