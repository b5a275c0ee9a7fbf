// The renderer's build: React 19 into dist/renderer, loaded by the Electron shell from a file:// URL
// and by the web host from 127.0.0.1. Relative base so both work; no inline script or style so
// that a strict Content-Security-Policy (script-src 'self') holds.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = import.meta.dirname;

/** pdf.js reads its standard fonts and CMaps by URL: ship them beside the bundle. */
function pdfjsData(): Plugin {
  const dirs = ['standard_fonts', 'cmaps'];
  return {
    name: 'kyso-pdfjs-data',
    apply: 'build',
    async generateBundle() {
      for (const dir of dirs) {
        const from = path.join(here, 'node_modules/pdfjs-dist', dir);
        for (const name of readdirSync(from)) {
          this.emitFile({
            type: 'asset',
            fileName: `pdfjs/${dir}/${name}`,
            source: await readFile(path.join(from, name)),
          });
        }
      }
    },
  };
}

export default defineConfig({
  root: path.join(here, 'src/renderer'),
  base: './',
  plugins: [react(), pdfjsData()],
  build: {
    outDir: path.join(here, 'dist/renderer'),
    emptyOutDir: true,
    // No data: URLs and no inline module-preload polyfill: everything is a file under 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    // Build timings are noise on a shared 2-core machine.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: { host: '127.0.0.1' },
});
