const KEY = 'distillery.token';

/**
 * Browser mode: the host prints a URL with `?token=`. Keep the token for this tab only (sessionStorage)
 * and take it out of the address bar, so that it does not end up in history, bookmarks or screenshots.
 */
export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(KEY);
}
