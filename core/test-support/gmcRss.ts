/**
 * A Google Merchant Center RSS 2.0 feed as tests write it: each item is the list of its elements (plain and `g:`
 * alike), one a line, indented under `<channel>` as the readers' tests expect their line numbers.
 */
export function gmcRss(items: readonly (readonly string[])[], title = 'Shop'): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">',
    '  <channel>',
    `    <title>${title}</title>`,
  ];
  for (const item of items)
    lines.push('    <item>', ...item.map((element) => `      ${element}`), '    </item>');
  lines.push('  </channel>', '</rss>', '');
  return lines.join('\n');
}
