import { describe, expect, it } from 'vitest';
import { MESSAGES, format, translator } from './i18n';

describe('i18n', () => {
  it('has every text in both languages', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.es).sort());
    for (const [k, v] of Object.entries(MESSAGES.en)) expect(v, k).not.toBe('');
  });

  it('keeps the original Spanish texts', () => {
    const t = translator('es');
    expect(t('msgIdle')).toBe('Selecciona un modo y presiona iniciar.');
    expect(t('msgClassicHit', { points: 14 })).toBe('Correcto +14 puntos.');
    expect(t('msgMemoryStep', { k: 2, n: 3 })).toBe('Bien. Siguiente paso 2/3.');
    expect(t('msgMemoryComplete', { points: 38, level: 2 })).toBe('Secuencia completada +38 puntos. Nivel 2.');
    expect(t('tipsTitle')).toBe('Transmisión Serverless');
  });

  it('leaves unknown placeholders alone', () => {
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
