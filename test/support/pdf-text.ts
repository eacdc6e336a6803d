import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF, read the way a PDF reader does: each font's ToUnicode map
 * turns the glyph ids in the content streams back into characters. Embedded (subset) fonts
 * write glyph ids, not characters, so searching the raw bytes for a sentence finds nothing;
 * this does. Handles what pdfkit writes (Flate-compressed or plain streams, Identity-H fonts,
 * bfrange/bfchar maps, Tj and TJ).
 * Text runs are joined with spaces and whitespace is collapsed, so phrases can be searched.
 */
export function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  if (!source.startsWith('%PDF-')) {
    throw new Error('not a PDF');
  }
  const objects = new Map<string, string>();
  for (const m of source.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)) {
    objects.set(m[1] as string, m[2] as string);
  }
  const streamOf = (body: string) => {
    const start = /stream\r?\n/.exec(body);
    if (!start) {
      return '';
    }
    const length = Number(/\/Length (\d+)\b(?! 0 R)/.exec(body)?.[1] ?? Number.NaN);
    const from = start.index + start[0].length;
    const raw = Number.isNaN(length) ? body.slice(from, body.lastIndexOf('endstream')) : body.slice(from, from + length);
    return /\/Filter \/FlateDecode/.test(body.slice(0, start.index)) ? inflateSync(Buffer.from(raw, 'latin1')).toString('latin1') : raw;
  };
  const hex = (h: string) => Number.parseInt(h, 16);

  /** glyph id → text, per font object. */
  const maps = new Map<string, Map<number, string>>();
  const unicodeMap = (fontObj: string): Map<number, string> => {
    const known = maps.get(fontObj);
    if (known) {
      return known;
    }
    const map = new Map<number, string>();
    const ref = /\/ToUnicode (\d+) 0 R/.exec(objects.get(fontObj) ?? '')?.[1];
    const cmap = ref ? streamOf(objects.get(ref) ?? '') : '';
    const chars = (h: string) => String.fromCodePoint(...(h.match(/.{4}/g) ?? []).map(hex));
    for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const r of (block[1] as string).matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]+>)/g)) {
        const [lo, hi, dst] = [hex(r[1] as string), hex(r[2] as string), r[3] as string];
        if (dst.startsWith('[')) {
          // A ligature maps to several characters, which pdfkit writes as <0066 0069>.
          [...dst.matchAll(/<([0-9a-fA-F\s]+)>/g)].forEach((d, i) => {
            map.set(lo + i, chars((d[1] as string).replace(/\s+/g, '')));
          });
        } else {
          const first = hex(dst.slice(1, -1));
          for (let code = lo; code <= hi; code += 1) {
            map.set(code, String.fromCodePoint(first + code - lo));
          }
        }
      }
    }
    for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
      for (const c of (block[1] as string).matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g)) {
        map.set(hex(c[1] as string), chars((c[2] as string).replace(/\s+/g, '')));
      }
    }
    maps.set(fontObj, map);
    return map;
  };

  const runs: string[] = [];
  for (const body of objects.values()) {
    if (!/\/Type \/Page\b/.test(body)) {
      continue;
    }
    // Font resource names (/F1) → font objects, from the page's resources.
    const fonts = new Map<string, string>();
    const resources = /\/Resources (\d+) 0 R/.exec(body)?.[1];
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources ? (objects.get(resources) ?? '') : body)?.[1] ?? '';
    for (const f of fontDict.matchAll(/\/(\w+) (\d+) 0 R/g)) {
      fonts.set(f[1] as string, f[2] as string);
    }
    const contentRefs = [
      ...(/\/Contents (?:\[([^\]]*)\]|(\d+) 0 R)/
        .exec(body)
        ?.slice(1)
        .join(' ')
        .matchAll(/(\d+)(?: 0 R)?/g) ?? []),
    ].map((m) => m[1] as string);
    for (const ref of contentRefs) {
      let map = new Map<number, string>();
      const content = streamOf(objects.get(ref) ?? '');
      for (const op of content.matchAll(/\/(\w+) [\d.]+ Tf|\[((?:[^\]])*)\] TJ|<([0-9a-fA-F]*)> Tj/g)) {
        if (op[1]) {
          map = unicodeMap(fonts.get(op[1]) ?? '');
          continue;
        }
        const hexes = op[2] !== undefined ? [...op[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1] as string) : [op[3] as string];
        runs.push(hexes.map((h) => (h.match(/.{4}/g) ?? []).map((g) => map.get(hex(g)) ?? '').join('')).join(''));
      }
    }
  }
  return runs.join(' ').replace(/\s+/g, ' ').trim();
}
