import { createRoot } from 'react-dom/client';
import { App } from './App';
import { browserClock } from './game/clock';
import { initialLang } from './i18n';
import { createServices } from './services';
import './styles.css';

const lang = initialLang();
document.documentElement.lang = lang;
const services = createServices(browserClock, () => (document.documentElement.lang === 'en' ? 'en' : 'es'));

// Connect (or register the guest) and send any result left from an earlier visit.
void services.session.ensure().then(() => services.outbox.resume());
window.addEventListener('online', () => void services.outbox.retryNow());
// Sound may start only from a user gesture (autoplay policy): every press, tap or key may be the first.
for (const type of ['pointerdown', 'pointerup', 'keydown'] as const) window.addEventListener(type, () => services.sound.unlock(), { capture: true, passive: true });

const root = document.getElementById('root');
if (root) createRoot(root).render(<App services={services} lang={lang} />);
