// The window: navigation on the left, one screen at a time (the others keep their state), the
// language switch, and the notice when the engine process had to restart.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { KysoClient } from '../shared/contract/index.js';
import { AppContext, type AppContextValue } from './app-context.js';
import { translator, type Language } from './i18n/translate.js';
import { Sidebar, type ScreenName } from './layout/Sidebar.js';
import { PolicyBanner } from './components/PolicyBanner.js';
import { BridgeRequests } from './screens/bridge/BridgeRequests.js';
import { SignScreen } from './screens/sign/SignScreen.js';

// The first screen's script holds the signing screen only: the others are their own chunks, mounted
// on their first visit (then kept, with their state) and fetched while the user looks at the first
// screen, so that the window is ready sooner and a click on them does not wait.
const loadVerify = () => import('./screens/verify/VerifyScreen.js');
const loadDevices = () => import('./screens/devices/DevicesScreen.js');
const loadOutbox = () => import('./screens/outbox/OutboxScreen.js');
const loadBatch = () => import('./screens/batch/BatchScreen.js');
const loadSettings = () => import('./screens/settings/SettingsScreen.js');
const loadInbox = () => import('./screens/inbox/InboxScreen.js');
const VerifyScreen = lazy(() => loadVerify().then((m) => ({ default: m.VerifyScreen })));
const DevicesScreen = lazy(() => loadDevices().then((m) => ({ default: m.DevicesScreen })));
const OutboxScreen = lazy(() => loadOutbox().then((m) => ({ default: m.OutboxScreen })));
const BatchScreen = lazy(() => loadBatch().then((m) => ({ default: m.BatchScreen })));
const SettingsScreen = lazy(() => loadSettings().then((m) => ({ default: m.SettingsScreen })));
const InboxScreen = lazy(() => loadInbox().then((m) => ({ default: m.InboxScreen })));

export function App({ client, onLanguage }: { client: KysoClient; onLanguage: (l: Language) => void }) {
  const [language, setLanguageState] = useState<Language>('vi');
  const [screen, setScreenState] = useState<ScreenName>('sign');
  // Requests waiting in "Văn bản chờ ký" once it was opened: shown on its navigation entry.
  const [inboxCount, setInboxCount] = useState(0);
  // Screens shown at least once: mounted from then on (hidden when another is shown).
  const [visited, setVisited] = useState<ReadonlySet<ScreenName>>(() => new Set(['sign']));
  const setScreen = useCallback((next: ScreenName) => {
    setScreenState(next);
    setVisited((seen) => (seen.has(next) ? seen : new Set([...seen, next])));
  }, []);
  const [restarted, setRestarted] = useState<string | null>(null);
  // Files given with the app (command line, "Open with", second launch): shown on the signing screen.
  const [openRequest, setOpenRequest] = useState<{ path: string; serial: number } | null>(null);

  const applyLanguage = useCallback(
    (l: Language) => {
      setLanguageState(l);
      onLanguage(l);
      document.documentElement.lang = l;
    },
    [onLanguage],
  );

  // The navigation is on screen and answers clicks: what bench/app-ui.mjs measures from navigation.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    performance.mark('kyso:interactive');
    setReady(true);
    // Start pdf.js and its worker while the user looks at the first screen, not when a file opens.
    const idle = setTimeout(() => {
      void import('./pdf/pdfjs.js').then((p) => p.pdfWorker());
      void Promise.all([loadVerify(), loadDevices(), loadOutbox(), loadBatch(), loadSettings(), loadInbox()]);
    }, 300);
    return () => clearTimeout(idle);
  }, []);

  useEffect(() => {
    let serial = 0;
    const openFirst = (paths: readonly string[]): void => {
      const path = paths[0];
      if (!path) return;
      setScreen('sign');
      setOpenRequest({ path, serial: ++serial });
    };
    const stops = [
      client.onOpenFiles(openFirst),
      client.onEngineRestarted((reason) => setRestarted(reason)),
      client.onLanguageChanged(applyLanguage),
    ];
    void (async () => {
      const info = await client.call('app.info', {});
      if (info.ok) applyLanguage(info.value.language);
      const files = await client.call('app.takeOpenFiles', {});
      if (files.ok) openFirst(files.value.paths);
    })();
    return () => stops.forEach((stop) => stop());
  }, [client, applyLanguage, setScreen]);

  const context = useMemo<AppContextValue>(
    () => ({
      client,
      language,
      t: translator(language),
      setLanguage: (l) => {
        applyLanguage(l);
        void client.call('app.setLanguage', { language: l });
      },
    }),
    [client, language, applyLanguage],
  );
  const { t } = context;

  return (
    <AppContext.Provider value={context}>
      <div className="shell" data-ready={ready || undefined}>
        <Sidebar screen={screen} onNavigate={setScreen} badges={{ inbox: inboxCount }} />
        <main className="main">
          <PolicyBanner />
          {restarted !== null && (
            <div className="banner" role="alert">
              <span>{t('app.engineRestarted', { reason: restarted })}</span>
              <button type="button" className="button small" onClick={() => setRestarted(null)}>
                {t('app.dismiss')}
              </button>
            </div>
          )}
          <SignScreen active={screen === 'sign'} openRequest={openRequest} />
          <Suspense fallback={null}>
            {visited.has('verify') && <VerifyScreen active={screen === 'verify'} />}
            {visited.has('devices') && <DevicesScreen active={screen === 'devices'} />}
            {visited.has('outbox') && <OutboxScreen active={screen === 'outbox'} />}
            {visited.has('batch') && <BatchScreen active={screen === 'batch'} />}
            {visited.has('settings') && <SettingsScreen active={screen === 'settings'} />}
            {visited.has('inbox') && <InboxScreen active={screen === 'inbox'} onCount={setInboxCount} />}
          </Suspense>
        </main>
        {/* A web page's request to sign, on top of whatever screen is shown. */}
        <BridgeRequests />
      </div>
    </AppContext.Provider>
  );
}
