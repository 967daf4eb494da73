import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './styles.css';
import { App } from './app/App';
import { ErrorBoundary } from './app/ErrorBoundary';
import { initTheme } from './app/theme';

initTheme();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      {/* The last net: App has its own boundaries per part; this one keeps a sentence on screen if App itself fails. */}
      <ErrorBoundary name="app" className="m-6">
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
}
