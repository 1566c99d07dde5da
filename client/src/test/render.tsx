import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { I18nContext, translator, type Lang } from '../i18n';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Rendered {
  container: HTMLElement;
  root: Root;
  unmount: () => void;
}

/** render mounts an element (inside the i18n context) into a fresh div. */
export function render(el: ReactElement, lang: Lang = 'es'): Rendered {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  act(() => {
    root.render(<I18nContext.Provider value={{ lang, t: translator(lang), setLang: () => {} }}>{el}</I18nContext.Provider>);
  });
  return {
    container,
    root,
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
}

export { act };
