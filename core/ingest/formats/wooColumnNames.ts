/**
 * WooCommerce's product CSV exporter (`class-wc-product-csv-exporter.php`, `get_default_column_names()`) writes its
 * column names through `__( …, 'woocommerce' )`, so a store running in another language exports translated headers
 * (`Tipo, REF, Nome, Preço, Produto ascendente`). This table maps them back to the English names the WooCommerce
 * adapter reads.
 *
 * Source: the "woocommerce" plugin's strings on translate.wordpress.org (WordPress.org's translation project,
 * "Stable (latest release)" sets for de, fr, es, it, nl, pt_BR, pl, sv, ja and zh_CN), the msgids being the exporter's
 * column names (`ID`, `Type`, `SKU`, …, `Attribute %d name`, `Attribute %d value(s)`, `Weight (%s)`). Translations
 * change between releases, so a name may have several spellings; those seen in real exports are listed with the
 * current ones (e.g. pt_BR `SKU` and `REF`, fr `Tarif régulier` and the older `Prix de base`).
 *
 * Values are not translated: the exporter writes keys (`Type` `simple` / `variable` / `variation`, `In stock?`
 * 1 / 0 / `backorder`, `Published` 1 / 0 / -1, `Visibility in catalog` `visible` …), whatever the language.
 */
import { headerKey } from './common.js';

type Locale = 'de' | 'fr' | 'es' | 'it' | 'nl' | 'pt_BR' | 'pl' | 'sv' | 'ja' | 'zh_CN';

/** The supported locales, in the order of the table. */
export const WOO_LOCALES: readonly Locale[] = [
  'de',
  'fr',
  'es',
  'it',
  'nl',
  'pt_BR',
  'pl',
  'sv',
  'ja',
  'zh_CN',
];

/** English column name (as the adapter looks it up) -> its names per locale. */
export const WOO_COLUMN_NAMES: Record<string, Record<Locale, string[]>> = {
  type: {
    de: ['Typ'],
    fr: ['Type'],
    es: ['Tipo'],
    it: ['Tipo'],
    nl: ['Type'],
    pt_BR: ['Tipo'],
    pl: ['Typ'],
    sv: ['Typ'],
    ja: ['タイプ'],
    zh_CN: ['类型'],
  },
  sku: {
    de: ['Artikelnummer'],
    fr: ['UGS'],
    es: ['SKU'],
    it: ['SKU', 'COD'],
    nl: ['SKU', 'Artikelnummer'],
    pt_BR: ['SKU', 'REF'],
    pl: ['SKU'],
    sv: ['Artikelnummer', 'Artikelnr'],
    ja: ['SKU'],
    zh_CN: ['SKU', '库存单位'],
  },
  'gtin, upc, ean, or isbn': {
    de: ['GTIN, UPC, EAN oder ISBN'],
    fr: ['GTIN, UPC, EAN ou ISBN'],
    es: ['GTIN, UPC, EAN o ISBN'],
    it: ['GTIN, UPC, EAN, o ISBN', 'GTIN, UPC, EAN o ISBN'],
    nl: ['GTIN, UPC, EAN of ISBN'],
    pt_BR: ['GTIN, UPC, EAN ou ISBN'],
    pl: ['GTIN, UPC, EAN lub ISBN'],
    sv: ['GTIN, UPC, EAN eller ISBN'],
    ja: ['GTIN、UPC、EAN、ISBN'],
    zh_CN: ['GTIN、UPC、EAN 或 ISBN'],
  },
  name: {
    de: ['Name'],
    fr: ['Nom'],
    es: ['Nombre'],
    it: ['Nome'],
    nl: ['Naam'],
    pt_BR: ['Nome'],
    pl: ['Nazwa'],
    sv: ['Namn'],
    ja: ['名前'],
    zh_CN: ['名称'],
  },
  published: {
    de: ['Veröffentlicht'],
    fr: ['Publié'],
    es: ['Publicado'],
    it: ['Pubblicato'],
    nl: ['Gepubliceerd'],
    pt_BR: ['Publicado'],
    pl: ['Opublikowany', 'Opublikowano'],
    sv: ['Publicerad'],
    ja: ['公開済み'],
    zh_CN: ['已发布'],
  },
  'is featured?': {
    de: ['Ist hervorgehoben?'],
    fr: ['Mis en avant ?'],
    es: ['¿Está destacado?'],
    it: ['In primo piano?', 'In evidenza?'],
    nl: ['Uitgelicht?'],
    pt_BR: ['Em destaque?', 'É destaque?'],
    pl: ['Czy wyróżniony?', 'Wyróżniony produkt?', 'Wyróżniony?'],
    sv: ['Utvald?', 'Är utvald?'],
    ja: ['オススメですか ?'],
    zh_CN: ['是否推荐？'],
  },
  'visibility in catalog': {
    de: ['Sichtbarkeit im Katalog'],
    fr: ['Visibilité dans le catalogue'],
    es: ['Visibilidad en el catálogo'],
    it: ['Visibilità nel catalogo'],
    nl: ['Zichtbaarheid in catalogus'],
    pt_BR: ['Visibilidade no catálogo'],
    pl: ['Widoczność w katalogu'],
    sv: ['Synlighet i katalog'],
    ja: ['カタログでの表示'],
    zh_CN: ['目录可见度', '在目录中可见'],
  },
  'short description': {
    de: ['Kurzbeschreibung'],
    fr: ['Description courte'],
    es: ['Descripción corta'],
    it: ['Breve descrizione'],
    nl: ['Korte beschrijving', 'Korte omschrijving'],
    pt_BR: ['Descrição curta'],
    pl: ['Krótki opis'],
    sv: ['Kort beskrivning'],
    ja: ['簡単な説明'],
    zh_CN: ['简短描述'],
  },
  description: {
    de: ['Beschreibung'],
    fr: ['Description'],
    es: ['Descripción'],
    it: ['Descrizione'],
    nl: ['Beschrijving'],
    pt_BR: ['Descrição'],
    pl: ['Opis'],
    sv: ['Beskrivning'],
    ja: ['説明'],
    zh_CN: ['描述'],
  },
  'in stock?': {
    de: ['Vorrätig?'],
    fr: ['En stock ?', 'En inventaire?'],
    es: ['¿Existencias?', '¿En inventario?'],
    it: ['In stock?', 'Disponibile?'],
    nl: ['Op voorraad?'],
    pt_BR: ['Em estoque?'],
    pl: ['W magazynie?', 'Na stanie?'],
    sv: ['I lager?'],
    ja: ['在庫の有無'],
    zh_CN: ['有货？', '库存？'],
  },
  stock: {
    de: ['Bestand', 'Lagerbestand'],
    fr: ['Stock', 'Inventaire'],
    es: ['Inventario'],
    it: ['Magazzino', 'Scorte'],
    nl: ['Voorraad'],
    pt_BR: ['Estoque'],
    pl: ['Stan magazynowy', 'Magazyn'],
    sv: ['Lagersaldo', 'Lager'],
    ja: ['在庫'],
    zh_CN: ['库存'],
  },
  'backorders allowed?': {
    de: ['Lieferrückstande erlaubt?'],
    fr: ['Autoriser les commandes de produits en rupture ?'],
    es: ['¿Permitir reservas de productos agotados?'],
    it: ['Abilita gli ordini arretrati?'],
    nl: ['Nabestellingen toestaan?'],
    pt_BR: ['Permitir encomendas?', 'São permitidas encomendas'],
    pl: ['Pozwalać na zamówienia oczekujące (na dostawę do magazynu)?', 'Zezwolić na zamówienia oczekujące?'],
    sv: ['Tillåt restnoteringar?', 'Restorder tillåtna?'],
    ja: ['お取り寄せを許可する ?'],
    zh_CN: ['允许延期交货？', '允许缺货下单？'],
  },
  'sale price': {
    de: ['Angebotspreis'],
    fr: ['Tarif promo', 'Prix de vente'],
    es: ['Precio rebajado'],
    it: ['Prezzo in offerta'],
    nl: ['Actieprijs'],
    pt_BR: ['Preço promocional'],
    pl: ['Cena promocyjna'],
    sv: ['Reapris'],
    ja: ['セール価格'],
    zh_CN: ['促销价格'],
  },
  'regular price': {
    de: ['Regulärer Preis'],
    fr: ['Tarif régulier', 'Prix de base'],
    es: ['Precio normal'],
    it: ['Prezzo di listino'],
    nl: ['Reguliere prijs'],
    pt_BR: ['Preço', 'Preço normal'],
    pl: ['Cena regularna', 'Cena'],
    sv: ['Ordinarie pris'],
    ja: ['標準価格'],
    zh_CN: ['常规售价', '常规价格'],
  },
  categories: {
    de: ['Kategorien'],
    fr: ['Catégories'],
    es: ['Categorías'],
    it: ['Categorie'],
    nl: ['Categorieën'],
    pt_BR: ['Categorias'],
    pl: ['Kategorie'],
    sv: ['Kategorier'],
    ja: ['カテゴリー'],
    zh_CN: ['分类'],
  },
  tags: {
    de: ['Schlagwörter'],
    fr: ['Étiquettes', 'Tags'],
    es: ['Etiquetas'],
    it: ['Tag'],
    nl: ['Tags'],
    pt_BR: ['Tags'],
    pl: ['Tagi'],
    sv: ['Taggar'],
    ja: ['タグ'],
    zh_CN: ['标签'],
  },
  images: {
    de: ['Bilder'],
    fr: ['Images'],
    es: ['Imágenes'],
    it: ['Immagini', 'Immagine'],
    nl: ['Afbeeldingen'],
    pt_BR: ['Imagens'],
    pl: ['Obrazki', 'Zdjęcia'],
    sv: ['Bilder'],
    ja: ['画像'],
    zh_CN: ['图片'],
  },
  parent: {
    de: ['Übergeordnetes Produkt'],
    fr: ['Parent'],
    es: ['Superior'],
    it: ['Genitore'],
    nl: ['Hoofd'],
    pt_BR: ['Produto ascendente', 'Ascendente'],
    pl: ['Element nadrzędny', 'Nadrzędny'],
    sv: ['Förälder', 'Överordnad'],
    ja: ['親'],
    zh_CN: ['父级'],
  },
  'external url': {
    de: ['Externe URL'],
    fr: ['URL externe'],
    es: ['URL externa'],
    it: ['URL esterno'],
    nl: ['Externe URL'],
    pt_BR: ['URL externa'],
    pl: ['Zewnętrzny adres URL', 'Zewnętrzny URL'],
    sv: ['Extern URL'],
    ja: ['外部 URL'],
    zh_CN: ['外部 URL', '外部链接'],
  },
  brands: {
    de: ['Marken'],
    fr: ['Marques'],
    es: ['Marcas'],
    it: ['Marchi'],
    nl: ['Merken'],
    pt_BR: ['Marcas'],
    pl: ['Marki'],
    sv: ['Varumärken'],
    ja: ['ブランド'],
    zh_CN: ['品牌'],
  },
};

/**
 * Numbered and unit-carrying names (`Attribute %d name`, `Attribute %d value(s)`, `Weight (%s)`) per locale, as
 * patterns over lookup keys (lower case, `’` read as `'`): the number or unit is the first group.
 */
const PATTERNS: { to: (g: string) => string; locales: Record<Locale, RegExp[]> }[] = [
  {
    to: (n) => `attribute ${n} name`,
    locales: {
      de: [/^attribut (\d+) name$/],
      fr: [/^nom de l'attribut (\d+)$/, /^attribut (\d+) nom$/],
      es: [/^nombre del atributo (\d+)$/],
      it: [/^nome dell'attributo (\d+)$/, /^attributo (\d+) nome$/],
      nl: [/^naam eigenschap (\d+)$/, /^eigenschap (\d+) naam$/],
      pt_BR: [/^nome do atributo (\d+)$/],
      pl: [/^nazwa atrybutu (\d+)$/],
      sv: [/^attribut (\d+) namn$/],
      ja: [/^属性 ?(\d+) ?の名前$/, /^属性 ?(\d+) ?名$/],
      zh_CN: [/^属性 ?(\d+) ?名称$/, /^属性名 ?(\d+)$/],
    },
  },
  {
    to: (n) => `attribute ${n} value(s)`,
    locales: {
      de: [/^attribut (\d+) wert\(e\)$/],
      fr: [/^valeur\(s\) de l'attribut (\d+)$/, /^attribut (\d+) valeur\(s\)$/],
      es: [/^valor\(es\) del atributo (\d+)$/],
      it: [
        /^valore\(i\) dell'attributo (\d+)$/,
        /^valore dell'attributo (\d+)$/,
        /^attributo (\d+) valu?(?:ta|re)\((?:e|i)\)$/,
      ],
      nl: [/^waarde\(n\) eigenschap (\d+)$/, /^waarde eigenschap (\d+)$/],
      pt_BR: [/^valores do atributo (\d+)$/, /^valor\(es\) do atributo (\d+)$/],
      pl: [/^wartości atrybutu (\d+)$/, /^wartość\(i\) atrybutu (\d+)$/],
      sv: [/^attribut (\d+) värde\(n\)$/],
      ja: [/^属性 ?(\d+) ?の値$/, /^属性 ?(\d+) ?値$/],
      zh_CN: [/^属性 ?(\d+) ?值$/, /^属性值 ?(\d+)$/],
    },
  },
  {
    to: (unit) => `weight (${unit})`,
    locales: {
      de: [/^gewicht ?\((.+)\)$/],
      fr: [/^poids ?\((.+)\)$/],
      es: [/^peso ?\((.+)\)$/],
      it: [/^peso ?\((.+)\)$/],
      nl: [/^gewicht ?\((.+)\)$/],
      pt_BR: [/^peso ?\((.+)\)$/],
      pl: [/^waga ?\((.+)\)$/],
      sv: [/^vikt ?\((.+)\)$/],
      ja: [/^重量 ?\((.+)\)$/],
      zh_CN: [/^重量 ?\((.+)\)$/],
    },
  },
];

const SPACE_BEFORE_QUESTION = /\s+\?/g;
const CURLY_APOSTROPHE = /[’ʼ]/g;

/**
 * A header cell as a lookup key for any language: NFKC (full-width `？（）` as `?()`), lower case, spaces collapsed,
 * none before `?`, `’` as `'`.
 */
function localizedKey(h: string): string {
  return headerKey(h.normalize('NFKC')).replace(SPACE_BEFORE_QUESTION, '?').replace(CURLY_APOSTROPHE, "'");
}

const TRANSLATED = new Map<string, string>();
for (const [english, names] of Object.entries(WOO_COLUMN_NAMES)) {
  for (const locale of WOO_LOCALES) {
    for (const name of names[locale]) {
      const key = localizedKey(name);
      const taken = TRANSLATED.get(key);
      if (taken !== undefined && taken !== english)
        throw new Error(`WooCommerce column "${name}" (${locale}) means both "${taken}" and "${english}"`);
      if (key !== english) TRANSLATED.set(key, english);
    }
  }
}
const NUMBERED = PATTERNS.flatMap(({ to, locales }) =>
  WOO_LOCALES.flatMap((l) => locales[l].map((pattern) => ({ pattern, to }))),
);

/** A WooCommerce export's header cell, in any supported language, as the English lookup key (`Regulärer Preis` -> `regular price`). */
export function wooColumnKey(h: string): string {
  const key = localizedKey(h);
  const english = TRANSLATED.get(key);
  if (english !== undefined) return english;
  for (const { pattern, to } of NUMBERED) {
    const m = pattern.exec(key);
    if (m !== null) return to(m[1]);
  }
  return key;
}
