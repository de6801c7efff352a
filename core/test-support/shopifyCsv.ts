import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** The classic Shopify product CSV header. */
export const SHOPIFY_HEADER =
  'Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Qty,Variant Inventory Policy,Variant Price,Variant Compare At Price,Variant Barcode,Image Src,Status';

/** One variant row: product `i`, size M, a unique SKU. */
export function shopifyRow(i: number): string {
  return `tee-${i},Tee ${i},<p>Soft cotton</p>,Acme,Shirts,cotton,TRUE,Size,M,TEE-${i}-M,200,5,deny,19.99,24.99,,https://shop.example/tee-${i}.png,active`;
}

export function shopifyCsv(rows: number): string {
  const lines = [SHOPIFY_HEADER];
  for (let i = 1; i <= rows; i++) lines.push(shopifyRow(i));
  return `${lines.join('\n')}\n`;
}

/** Writes a large Shopify CSV without holding it in memory; resolves with its size in bytes. */
export async function writeShopifyCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${SHOPIFY_HEADER}\n`);
  let batch: string[] = [];
  for (let i = 1; i <= rows; i++) {
    batch.push(shopifyRow(i));
    if (batch.length === 5000) {
      await write(`${batch.join('\n')}\n`);
      batch = [];
    }
  }
  if (batch.length) await write(`${batch.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
  return bytes;
}
