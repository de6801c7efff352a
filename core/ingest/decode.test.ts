import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ConcordError } from '../model/errors.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { canonicalEncoding, detectEncoding, readText, sniffFile } from './decode.js';

async function readAll(file: string, encoding: string, bom = 0): Promise<string> {
  const t = readText(file, encoding, bom);
  let s = '';
  for await (const c of t.chunks) s += c;
  return s;
}

describe('detectEncoding', () => {
  it('recognizes byte-order marks', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), 'f')).toMatchObject({
      encoding: 'utf-8',
      bomLength: 3,
    });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]), 'f')).toMatchObject({
      encoding: 'utf-16le',
      bomLength: 2,
    });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0, 0x61]), 'f')).toMatchObject({
      encoding: 'utf-16be',
      bomLength: 2,
    });
  });

  it('recognizes UTF-16 without a BOM by its NUL pattern', () => {
    expect(detectEncoding(iconv.encode('Handle,Title\nabc,def\n', 'utf-16le'), 'f').encoding).toBe(
      'utf-16le',
    );
    expect(detectEncoding(iconv.encode('Handle,Title\nabc,def\n', 'utf-16be'), 'f').encoding).toBe(
      'utf-16be',
    );
  });

  it('takes valid UTF-8 as UTF-8, even when the sniffed block cuts a character', () => {
    const buf = Buffer.from('Title\nCafé crème ™\n', 'utf8');
    expect(detectEncoding(buf, 'f').encoding).toBe('utf-8');
    expect(detectEncoding(buf.subarray(0, buf.length - 3), 'f').encoding).toBe('utf-8');
  });

  it('tells Windows-1252 from GB18030', () => {
    const western = iconv.encode(
      'Name,Price\n"Crème brûlée Schüssel – groß",12,99 €\nCafé au lait™,3,50 €\nNaïve façade,1,00 €\n'.repeat(
        5,
      ),
      'windows-1252',
    );
    expect(detectEncoding(western, 'f').encoding).toBe('windows-1252');
    const chinese = iconv.encode(
      'id\ttitle\tprice\n1\t华为手机 智能 蓝牙耳机 无线充电器\t99.00 CNY\n2\t小米电视 高清 液晶 屏幕\t1999.00 CNY\n'.repeat(
        5,
      ),
      'gb18030',
    );
    expect(detectEncoding(chinese, 'f').encoding).toBe('gb18030');
  });

  it('rejects binary data, naming the file and line', () => {
    const bin = Buffer.from([
      0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0xff, 0x13,
    ]);
    try {
      detectEncoding(bin, 'garbage.csv');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConcordError);
      expect((err as ConcordError).code).toBe('BAD_INPUT');
      expect((err as Error).message).toMatch(/^garbage\.csv, line 1: binary data/);
    }
  });
});

describe('canonicalEncoding', () => {
  it('accepts common spellings and refuses unknown ones', () => {
    expect(canonicalEncoding('UTF8', 'f')).toBe('utf-8');
    expect(canonicalEncoding('cp1252', 'f')).toBe('windows-1252');
    expect(canonicalEncoding('GBK', 'f')).toBe('gb18030');
    expect(() => canonicalEncoding('klingon', 'f.csv')).toThrow(/f\.csv: unknown encoding "klingon"/);
  });
});

describe('readText', () => {
  const tmp = useTempDir();

  it('decodes each encoding and hashes the bytes', async () => {
    const text = 'a,b\nCafé,华为\n';
    for (const enc of ['utf-16le', 'utf-16be', 'gb18030']) {
      const f = writeTemp(tmp(), `x-${enc}.csv`, iconv.encode(text, enc));
      expect(await readAll(f, enc)).toBe(text);
    }
    const t = readText(writeTemp(tmp(), 'h.csv', 'abc'), 'utf-8', 0);
    for await (const _ of t.chunks) void _;
    expect(t.sha256()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('strips the BOM', async () => {
    const f = writeTemp(
      tmp(),
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n')]),
    );
    expect(await readAll(f, 'utf-8', 3)).toBe('a,b\n');
  });

  it('refuses bytes that are not valid in the declared encoding, naming the line', async () => {
    const f = writeTemp(
      tmp(),
      'latin.csv',
      Buffer.concat([Buffer.from('a,b\nok,1\n'), iconv.encode('Café,2\n', 'windows-1252')]),
    );
    await expect(readAll(f, 'utf-8')).rejects.toThrow(/^latin\.csv, line 3: bytes that are not valid UTF-8/);
  });

  it('refuses a file cut off in the middle of a character, naming the last line (found by the fuzz suite)', async () => {
    const cut = Buffer.from('a,b\nok,华为\n华');
    const f = writeTemp(tmp(), 'cut.csv', cut.subarray(0, cut.length - 1));
    await expect(readAll(f, 'utf-8')).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'cut.csv, line 3: the file ends in the middle of a UTF-8 character (cut off?)',
    });
  });
});

describe('sniffFile', () => {
  const tmp = useTempDir();
  const line = (n: number) => `SKU-${String(n).padStart(6, '0')}\tPlain ASCII title number ${n}\t9.99\n`;

  it('samples across the whole file within a fixed budget, ending at the tail', async () => {
    const text = Array.from({ length: 60_000 }, (_, n) => line(n)).join('');
    const f = writeTemp(tmp(), 'big.tsv', text);
    const { head, body, size } = await sniffFile(f);
    expect(size).toBe(Buffer.byteLength(text));
    expect(head.length).toBe(64 * 1024);
    expect(body).toHaveLength(8);
    expect(body.reduce((n, b) => n + b.length, 0)).toBe(8 * 16 * 1024);
    expect(body[7].toString()).toBe(text.slice(-16 * 1024));
  });

  it('finds a legacy encoding deep in the file, and UTF-8 when a chunk starts inside a character', async () => {
    const ascii = Array.from({ length: 20_000 }, (_, n) => line(n)).join('');
    const western = writeTemp(
      tmp(),
      'western.tsv',
      Buffer.concat([
        Buffer.from(ascii),
        iconv.encode('X-1\tCrème brûlée – Schüssel für Café\t12,99\n'.repeat(40), 'windows-1252'),
      ]),
    );
    const w = await sniffFile(western);
    expect(detectEncoding(w.head, 'western.tsv').encoding).toBe('utf-8'); // the start alone cannot tell
    expect(detectEncoding(w.head, 'western.tsv', w.body).encoding).toBe('windows-1252');

    const utf8 = writeTemp(tmp(), 'utf8.tsv', ascii + 'X-1\tCafé crème ™ – “quoted”\n'.repeat(3000));
    const u = await sniffFile(utf8);
    expect(detectEncoding(u.head, 'utf8.tsv', u.body)).toMatchObject({ encoding: 'utf-8', confidence: 0.95 });
    const cut = Buffer.from('Café crème ™').subarray(4); // starts on the second byte of "é"
    expect(cut[0]).toBe(0xa9);
    expect(detectEncoding(u.head, 'utf8.tsv', [cut]).encoding).toBe('utf-8');
  });

  it('a single legacy byte that no sample reaches is still refused clearly, naming its line and the encoding', async () => {
    const before = Array.from({ length: 2000 }, (_, n) => line(n)).join(''); // ~ 94 KiB: past the head and the first chunk
    const after = Array.from({ length: 40_000 }, (_, n) => line(n)).join('');
    const f = writeTemp(
      tmp(),
      'one-byte.tsv',
      Buffer.concat([
        Buffer.from(before),
        iconv.encode('X-1\tCafé\t1\n', 'windows-1252'),
        Buffer.from(after),
      ]),
    );
    const s = await sniffFile(f);
    expect(detectEncoding(s.head, 'one-byte.tsv', s.body).encoding).toBe('utf-8');
    await expect(readAll(f, 'utf-8')).rejects.toMatchObject({
      message: 'one-byte.tsv, line 2001: bytes that are not valid UTF-8 (it looks like windows-1252)',
      details: { remedy: { do: 'encoding', encoding: 'windows-1252' } },
    });
  });
});
