import { describe, expect, it } from 'vitest';
import { WOO_COLUMN_NAMES, WOO_LOCALES, wooColumnKey } from './wooColumnNames.js';

describe('wooColumnKey', () => {
  it('names every column in every supported locale, each name meaning one column', () => {
    for (const [english, names] of Object.entries(WOO_COLUMN_NAMES)) {
      for (const locale of WOO_LOCALES) {
        expect(names[locale].length, `${english} in ${locale}`).toBeGreaterThan(0);
        for (const name of names[locale]) expect(wooColumnKey(name), `${name} (${locale})`).toBe(english);
      }
    }
  });

  it('reads numbered attribute columns and the weight unit in every language', () => {
    expect(wooColumnKey('Attribut 3 Wert(e)')).toBe('attribute 3 value(s)');
    expect(wooColumnKey('Nom de l’attribut 2')).toBe('attribute 2 name');
    expect(wooColumnKey("Valeur(s) de l'attribut 2")).toBe('attribute 2 value(s)');
    expect(wooColumnKey('Valor(es) del atributo 12')).toBe('attribute 12 value(s)');
    expect(wooColumnKey('Waarde(n) eigenschap 1')).toBe('attribute 1 value(s)');
    expect(wooColumnKey('Wartości atrybutu 4')).toBe('attribute 4 value(s)');
    expect(wooColumnKey('属性 1 の名前')).toBe('attribute 1 name');
    expect(wooColumnKey('Gewicht (lbs)')).toBe('weight (lbs)');
    expect(wooColumnKey('重量（kg）')).toBe('weight (kg)');
  });

  it('leaves English names and columns it does not know as plain lookup keys', () => {
    expect(wooColumnKey('Regular price')).toBe('regular price');
    expect(wooColumnKey('  In stock? ')).toBe('in stock?');
    expect(wooColumnKey('Meta: _wpcom_is_markdown')).toBe('meta: _wpcom_is_markdown');
    expect(wooColumnKey('Steuerstatus')).toBe('steuerstatus');
  });
});
