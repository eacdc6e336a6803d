import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js';

const require = createRequire(import.meta.url);

/**
 * Roboto ships inside pdfmake (Apache-2.0) and covers accented and non-Latin names, which the
 * 14 standard PDF fonts (WinAnsi only) would mangle. It is read from node_modules: nothing is
 * downloaded at run time, and pdfmake may read nothing else from disk nor fetch any URL.
 */
const ROBOTO = require('pdfmake/fonts/Roboto.js') as TFontDictionary;
const FONT_DIR = dirname(require.resolve('pdfmake/fonts/Roboto.js'));

let configured = false;
function configure() {
  if (configured) {
    return;
  }
  pdfmake.setFonts(ROBOTO);
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path: string) => path.startsWith(FONT_DIR));
  configured = true;
}

/** Renders a pdfmake document with the one font set and access policy every Hearken PDF uses. */
export function renderPdf(definition: TDocumentDefinitions): Promise<Buffer> {
  configure();
  return pdfmake.createPdf(definition).getBuffer();
}
