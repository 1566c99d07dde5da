// Sharing a result: the Web Share API where the browser has it (phones),
// else the text and the link go to the clipboard.

export type ShareOutcome = 'shared' | 'copied' | 'cancelled' | 'failed';

export interface ShareData {
  title: string;
  text: string;
  url: string;
}

/** shareResult shares data, or copies "text url" when the page cannot share. */
export async function shareResult(data: ShareData, nav: Navigator = navigator): Promise<ShareOutcome> {
  if (typeof nav.share === 'function' && (!nav.canShare || nav.canShare(data))) {
    try {
      await nav.share(data);
      return 'shared';
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return 'cancelled';
      // NotAllowedError and the like: fall back to copying.
    }
  }
  try {
    await nav.clipboard.writeText(`${data.text} ${data.url}`);
    return 'copied';
  } catch {
    return 'failed';
  }
}

/** gameLink is the link a shared result points to: the game itself. */
export function gameLink(origin: string): string {
  return new URL('/', origin).href;
}
