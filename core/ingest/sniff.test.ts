import { describe, expect, it } from 'vitest';
import { containerOf, looksLikeXml } from './sniff.js';

const utf8 = { encoding: 'utf-8', confidence: 1, bomLength: 0 };
const container = (name: string, text: string, format?: string) =>
  containerOf(name, Buffer.from(text), utf8, format);

describe('containerOf', () => {
  it('takes XML from the content whatever the extension: <?xml, <rss, <feed after a BOM and blank space', () => {
    expect(container('feed.txt', '<?xml version="1.0"?><rss/>')).toBe('xml');
    expect(container('feed.csv', '\uFEFF\r\n  <rss version="2.0">')).toBe('xml');
    expect(container('feed.tsv', '<feed xmlns="http://www.w3.org/2005/Atom">')).toBe('xml');
    expect(container('feed.txt', 'id\ttitle\n<b>1</b>\tx')).toBe('delimited');
    expect(container('export', '{"sku":"A"}\n')).toBe('jsonl');
    expect(container('products.jsonl', 'not json')).toBe('jsonl');
  });

  it('a named format wins: gmc reads XML or a TSV feed by content, every other format its own container', () => {
    expect(container('feed.txt', '<?xml version="1.0"?>', 'gmc')).toBe('xml');
    expect(container('feed.txt', 'id\ttitle\n', 'gmc')).toBe('delimited');
    expect(container('feed.xml', 'id\ttitle\n', 'gmc')).toBe('delimited');
    expect(container('items.txt', '{"sku":"A"}', 'jsonl')).toBe('jsonl');
    expect(container('items.jsonl', 'sku,title\n', 'csv')).toBe('delimited');
  });

  it('looksLikeXml does not take a tag-like word for a feed', () => {
    expect(looksLikeXml('<feedback>')).toBe(false);
    expect(looksLikeXml('<!-- exported by DataFeedWatch -->')).toBe(true);
  });
});
