import { describe, expect, it } from 'vitest';
import { readTable } from '../test-support/tableReader.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import type { RawRow } from './types.js';
import { GMC_ATTRIBUTES, MAX_XML_DEPTH, readGmcXml } from './xml.js';

async function read(file: string) {
  const { header, rows } = await readTable(readGmcXml, file, 'feed.xml');
  const col = (r: RawRow, name: string) => r.cells[header.indexOf(name)];
  return { header, rows, col };
}

const rss = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
  <channel>
    <title>Shop</title>
    <item>
      <g:id>G-1</g:id>
      <title>Kettle &amp; Co <![CDATA[<b>1.7 l</b>]]></title>
      <link>https://shop.example/kettle</link>
      <g:price>29.99 USD</g:price>
      <g:additional_image_link>https://img/1.jpg</g:additional_image_link>
      <g:additional_image_link>https://img/2.jpg</g:additional_image_link>
      <g:shipping><g:country>US</g:country><g:price>4.99 USD</g:price></g:shipping>
      <g:custom_thing>kept raw</g:custom_thing>
    </item>
    <item>
      <g:id>G-2</g:id>
      <g:title>Mug</g:title>
      <title>ignored when g:title exists</title>
    </item>
  </channel>
</rss>`;

describe('readGmcXml', () => {
  const tmp = useTempDir();

  it('reads RSS items with their line numbers, plain and g: elements, CDATA and repeats', async () => {
    const { header, rows, col } = await read(writeTemp(tmp(), 'feed.xml', rss));
    expect(header).toEqual([...GMC_ATTRIBUTES]);
    expect(rows.map((r) => r.line)).toEqual([5, 15]);
    expect(col(rows[0], 'id')).toBe('G-1');
    expect(col(rows[0], 'title')).toBe('Kettle & Co <b>1.7 l</b>');
    expect(col(rows[0], 'link')).toBe('https://shop.example/kettle');
    expect(col(rows[0], 'price')).toBe('29.99 USD');
    expect(col(rows[0], 'additional_image_link')).toBe('https://img/1.jpg,https://img/2.jpg');
    expect(col(rows[0], 'shipping')).toBe('US:4.99 USD');
    expect(JSON.parse(rows[0].raw)).toContainEqual(['g:custom_thing', 'kept raw']);
    expect(col(rows[1], 'title')).toBe('Mug');
  });

  it('reads Atom entries', async () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">
<entry><g:id>A1</g:id><title>Hoodie</title><link href="https://shop.example/h"/><summary>Warm</summary></entry></feed>`;
    const { rows, col } = await read(writeTemp(tmp(), 'atom.xml', atom));
    expect(rows).toHaveLength(1);
    expect([
      col(rows[0], 'id'),
      col(rows[0], 'title'),
      col(rows[0], 'link'),
      col(rows[0], 'description'),
    ]).toEqual(['A1', 'Hoodie', 'https://shop.example/h', 'Warm']);
  });

  it('reports malformed XML with line and column', async () => {
    const bad =
      '<rss xmlns:g="http://base.google.com/ns/1.0"><channel>\n<item><g:id>1</g:id>\n<g:title>Broken</g:titel></item></channel></rss>';
    await expect(read(writeTemp(tmp(), 'bad.xml', bad))).rejects.toThrow(
      /^feed\.xml, line 3, column \d+: malformed XML/,
    );
  });

  it('refuses XML that is not a feed, and a feed without items', async () => {
    await expect(read(writeTemp(tmp(), 'x.xml', '<html><body/></html>'))).rejects.toThrow(
      /root element <html> is not an RSS/,
    );
    await expect(read(writeTemp(tmp(), 'y.xml', '<rss><channel></channel></rss>'))).rejects.toThrow(
      /no <item> or <entry>/,
    );
  });

  it('refuses a feed nested 200,000 levels deep, at once, naming file, line and element', async () => {
    const depth = 200_000;
    const feed =
      '<?xml version="1.0"?>\n<rss xmlns:g="http://base.google.com/ns/1.0">\n<channel>\n<item><g:id>1</g:id></item>\n' +
      '<wrap>'.repeat(depth) +
      '</wrap>'.repeat(depth) +
      '\n</channel></rss>';
    await expect(read(writeTemp(tmp(), 'deep.xml', feed))).rejects.toThrow(
      `feed.xml, line 5, field "wrap": <wrap> is nested ${MAX_XML_DEPTH + 1} elements deep`,
    );
  }, 20_000);

  it('reads a valid feed nested up to the limit, values of nested elements kept', async () => {
    const inner = MAX_XML_DEPTH - 4; // rss > channel > item > g:shipping > inner wrappers
    const feed =
      '<rss xmlns:g="http://base.google.com/ns/1.0"><channel>\n<item><g:id>N-1</g:id>' +
      '<g:shipping>' +
      '<g:part>'.repeat(inner - 1) +
      '<g:country>US</g:country>' +
      '</g:part>'.repeat(inner - 1) +
      '</g:shipping></item>\n</channel></rss>';
    const { rows, col } = await read(writeTemp(tmp(), 'nested.xml', feed));
    expect(rows).toHaveLength(1);
    expect(col(rows[0], 'id')).toBe('N-1');
    expect(col(rows[0], 'shipping')).toContain('US');
  });
});
