// The renderer's entry: find the bridge (Electron preload or the web host's WebSocket), then show the app.
import { createRoot } from 'react-dom/client';
import { createKysoClient } from '../shared/contract/client.js';
import { App } from './App.js';
import { findBridge } from './bridge/find-bridge.js';
import './styles.css';

let language: 'vi' | 'en' = 'vi';
const client = createKysoClient(findBridge(() => language));
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <App
      client={client}
      onLanguage={(l) => {
        language = l;
      }}
    />,
  );
}
