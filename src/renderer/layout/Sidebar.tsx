// The left column: the app's name, the screens (with a count where one waits), the language switch.
import { useApp } from '../app-context.js';
import { Icon, type IconName } from '../components/Icon.js';
import type { MessageKey } from '../i18n/translate.js';

export type ScreenName = 'sign' | 'inbox' | 'batch' | 'verify' | 'devices' | 'outbox' | 'settings';

const SCREENS: readonly { name: ScreenName; label: MessageKey; icon: IconName }[] = [
  { name: 'sign', label: 'nav.sign', icon: 'sign' },
  { name: 'inbox', label: 'nav.inbox', icon: 'inbox' },
  { name: 'batch', label: 'nav.batch', icon: 'batch' },
  { name: 'verify', label: 'nav.verify', icon: 'verify' },
  { name: 'devices', label: 'nav.devices', icon: 'devices' },
  { name: 'outbox', label: 'nav.outbox', icon: 'upload' },
  { name: 'settings', label: 'nav.settings', icon: 'settings' },
];

export function Sidebar({
  screen,
  onNavigate,
  badges = {},
}: {
  screen: ScreenName;
  onNavigate: (s: ScreenName) => void;
  /** A count beside a screen's name (the requests waiting in "Văn bản chờ ký"). */
  badges?: Partial<Record<ScreenName, number>>;
}) {
  const { t, language, setLanguage } = useApp();
  return (
    <aside className="sidebar">
      <div className="brand">
        <div className="brand-name">{t('app.name')}</div>
        <div className="brand-tagline">{t('app.tagline')}</div>
      </div>
      <nav className="nav" aria-label={t('nav.label')}>
        {SCREENS.map((s) => (
          <button
            key={s.name}
            type="button"
            className="nav-item"
            aria-current={screen === s.name ? 'page' : undefined}
            onClick={() => onNavigate(s.name)}
          >
            <span className="nav-icon">
              <Icon name={s.icon} />
            </span>
            {t(s.label)}
            {(badges[s.name] ?? 0) > 0 && (
              <span className="nav-badge" data-testid={`nav-badge-${s.name}`}>
                {badges[s.name]}
              </span>
            )}
          </button>
        ))}
      </nav>
      <div className="language" role="group" aria-labelledby="language-label">
        <span id="language-label">{t('lang.label')}</span>
        <div className="language-options">
          {(['vi', 'en'] as const).map((l) => (
            <button
              key={l}
              type="button"
              lang={l}
              aria-pressed={language === l}
              onClick={() => setLanguage(l)}
            >
              {t(`lang.${l}`)}
            </button>
          ))}
        </div>
      </div>
    </aside>
  );
}
