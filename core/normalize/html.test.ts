import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText, stripHtml } from './html.js';
import { expectRows } from '../test-support/table.js';

describe('htmlToText', () => {
  it('strips tags and puts block elements on their own lines', () => {
    const body =
      '<p>Brews <strong>eight cups</strong> in four minutes.</p><ul><li>Double wall</li><li>Dishwasher safe</li></ul>';
    expect(htmlToText(body)).toBe('Brews eight cups in four minutes.\nDouble wall\nDishwasher safe');
  });

  it('decodes named, numeric and hex entities after stripping', () => {
    expect(htmlToText('<p>Tom &amp; Jerry &ndash; 5&nbsp;kg &#8482; &#x20AC;9</p>')).toBe(
      'Tom & Jerry – 5 kg €9',
    );
    // encoded markup is text, not a tag
    expect(htmlToText('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe('<script>alert(1)</script>');
  });

  it('drops script, style and similar contents entirely, case-insensitively', () => {
    expectRows(htmlToText, [
      ['Safe<script>alert("x<p>")</script> text', 'Safe text'],
      ['<STYLE>p{color:red}</STYLE><P>Shown</P>', 'Shown'],
      ['a<noscript><img src=x onerror=alert(1)></noscript>b', 'ab'],
      ['<svg><text>logo</text></svg>Label', 'Label'],
    ]);
    // unterminated script: everything after it is dropped, nothing is evaluated
    expect(htmlToText('Before<script>while(true){}')).toBe('Before');
    // self-closing script tag has no content to drop
    expect(htmlToText('x<script src="a.js"/>y')).toBe('xy');
  });

  it('handles comments, doctype, CDATA, processing instructions', () => {
    expect(htmlToText('<!DOCTYPE html><!-- hidden <b>x</b> -->Visible<?php echo 1 ?>')).toBe('Visible');
    expect(htmlToText('<![CDATA[R&D <kit>]]> ok')).toBe('R&D <kit> ok');
    expect(htmlToText('<!-- never closed')).toBeNull();
  });

  it('keeps a literal < that does not open a tag', () => {
    expect(htmlToText('Fits 3 < 4 inch cups')).toBe('Fits 3 < 4 inch cups');
    expect(htmlToText('a <3 b')).toBe('a <3 b');
    expect(htmlToText('trailing <')).toBe('trailing <');
  });

  it('ignores > inside quoted attribute values', () => {
    expect(htmlToText('<a href="/x?a>b" title=\'1>0\'>Link</a> text')).toBe('Link text');
  });

  it('breaks lines at <br> and separates table cells', () => {
    expect(htmlToText('Line 1<br>Line 2<br/>Line 3')).toBe('Line 1\nLine 2\nLine 3');
    expect(
      htmlToText('<table><tr><td>Weight</td><td>850 g</td></tr><tr><th>Size</th><td>1 L</td></tr></table>'),
    ).toBe('Weight 850 g\nSize 1 L');
  });

  it('normalizes text: NFKC, whitespace', () => {
    expectRows(htmlToText, [
      ['<div>  Ｆull   width\u00a0text </div>', 'Full width text'],
      ['plain text, no markup', 'plain text, no markup'],
      ['', null],
      [null, null],
      ['<p> </p><br>', null],
    ]);
  });

  it('is linear on large and hostile input', () => {
    const big =
      '<div>'.repeat(50_000) + 'x' + '</div>'.repeat(50_000) + '<'.repeat(100_000) + '<a'.repeat(50_000);
    const t0 = performance.now();
    const out = htmlToText(big);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(out?.startsWith('x')).toBe(true);
    const manyClosers = '<script>' + '</scrip'.repeat(50_000);
    expect(htmlToText(manyClosers)).toBeNull();
  });

  it('does not shift offsets on characters whose lower case is longer', () => {
    expect(htmlToText('İİİ<script>x</SCRIPT>İ ok')).toBe('İİİİ ok');
  });
});

describe('stripHtml / decodeEntities', () => {
  it('decodes entities even without tags', () => {
    expect(stripHtml('Kitchen &amp; Dining')).toBe('Kitchen & Dining');
    expect(stripHtml('no markup')).toBe('no markup');
  });
  it('decodeEntities keeps tags as text', () => {
    expect(decodeEntities('Tom &amp; Jerry <b>')).toBe('Tom & Jerry <b>');
    expect(decodeEntities('plain')).toBe('plain');
  });
});
