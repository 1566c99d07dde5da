import { describe, expect, it, vi } from 'vitest';
import { gameLink, shareResult } from './share';

const data = { title: 'LightPress', text: 'I scored 120 points', url: 'https://lightpress.example/' };

describe('shareResult', () => {
  it('uses the Web Share API where there is one', async () => {
    const share = vi.fn(async () => {});
    const writeText = vi.fn(async () => {});
    expect(await shareResult(data, { share, clipboard: { writeText } } as unknown as Navigator)).toBe('shared');
    expect(share).toHaveBeenCalledWith(data);
    expect(writeText).not.toHaveBeenCalled();
  });

  it('copies the text and the link otherwise, or when sharing is refused', async () => {
    const writeText = vi.fn(async () => {});
    expect(await shareResult(data, { clipboard: { writeText } } as unknown as Navigator)).toBe('copied');
    expect(writeText).toHaveBeenCalledWith('I scored 120 points https://lightpress.example/');
    const refused = vi.fn(async () => {
      throw new DOMException('no', 'NotAllowedError');
    });
    expect(await shareResult(data, { share: refused, clipboard: { writeText } } as unknown as Navigator)).toBe('copied');
  });

  it('a cancelled share is not copied; a clipboard that fails says so', async () => {
    const cancelled = vi.fn(async () => {
      throw new DOMException('cancel', 'AbortError');
    });
    const writeText = vi.fn(async () => {
      throw new Error('denied');
    });
    expect(await shareResult(data, { share: cancelled, clipboard: { writeText } } as unknown as Navigator)).toBe('cancelled');
    expect(writeText).not.toHaveBeenCalled();
    expect(await shareResult(data, { clipboard: { writeText } } as unknown as Navigator)).toBe('failed');
  });

  it('links to the game', () => {
    expect(gameLink('https://lightpress.example')).toBe('https://lightpress.example/');
  });
});
