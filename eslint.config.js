// Lint, including the layer rule of architecture.md: which part of the code may import which.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Forbid imports matching `groups` from files under `files`. */
function layer(files, groups, message) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
    },
  };
}

const uiFrameworks = ['electron', 'electron/*', 'react', 'react-dom', 'react/*', 'react-dom/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'samples/**', '.tmp/**', 'out/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'Buffer',
          'URL',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
          'performance',
          'AbortController',
          'structuredClone',
        ].map((name) => [name, 'readonly']),
      ),
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // bin/kyso.js (bin/package.json) and .cjs scripts are CommonJS: Node starts a CommonJS entry faster.
  {
    files: ['bin/**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // shared: plain types and data, usable by the renderer: no Node, no DOM framework, no engine.
  layer(
    ['src/shared/**'],
    ['node:*', '**/signing/**', '**/main/**', '**/cli/**', ...uiFrameworks],
    'src/shared is imported by every side: keep it free of Node, Electron, React and the engine.',
  ),
  // the engine: plain Node, no Electron or React, never the CLI or the app.
  layer(
    ['src/signing/**'],
    [...uiFrameworks, '**/cli/**', '**/main/**', '**/renderer/**', '**/preload/**'],
    'The engine (src/signing) is a plain Node library: it must not import Electron, React, the CLI or the app.',
  ),
  // pdf and cms do not know each other; sign/ and verify/ orchestrate them.
  layer(
    ['src/signing/pdf/**'],
    [
      ...uiFrameworks,
      '**/cms/**',
      '**/pkcs11/**',
      '**/sign/**',
      '**/verify/**',
      '**/batch/**',
      '**/appearance/**',
      '**/cli/**',
    ],
    'src/signing/pdf knows PDF only: signatures, CMS and tokens are orchestrated in src/signing/sign.',
  ),
  layer(
    ['src/signing/cms/**'],
    [
      ...uiFrameworks,
      '**/pdf/**',
      '**/pkcs11/**',
      '**/sign/**',
      '**/verify/**',
      '**/batch/**',
      '**/appearance/**',
      '**/cli/**',
    ],
    'src/signing/cms knows CMS only: PDF and tokens are orchestrated in src/signing/sign.',
  ),
  layer(
    ['src/signing/pkcs11/**'],
    [
      ...uiFrameworks,
      '**/pdf/**',
      '**/sign/**',
      '**/verify/**',
      '**/batch/**',
      '**/appearance/**',
      '**/cli/**',
    ],
    'src/signing/pkcs11 implements the signer seam and knows nothing of PDF.',
  ),
  layer(
    ['src/signing/revocation/**'],
    [
      ...uiFrameworks,
      '**/pdf/**',
      '**/sign/**',
      '**/verify/**',
      '**/ltv/**',
      '**/batch/**',
      '**/appearance/**',
      '**/pkcs11/**',
      '**/cli/**',
    ],
    'src/signing/revocation knows X.509 and HTTP only.',
  ),
  layer(
    ['src/signing/appearance/**'],
    [
      ...uiFrameworks,
      '**/cms/**',
      '**/pkcs11/**',
      '**/sign/**',
      '**/verify/**',
      '**/batch/**',
      '**/ltv/**',
      '**/revocation/**',
      '**/cli/**',
    ],
    'src/signing/appearance draws with the PDF layer only; signing wires it in.',
  ),
  // the CLI and the app reach the engine only through its public entry.
  layer(
    ['src/cli/**', 'src/main/**'],
    ['**/signing/*/**', ...['react', 'react-dom']],
    'Import the engine through its public entry (src/signing/index.ts), not its internals.',
  ),
  // the renderer runs in a browser (Electron's sandboxed renderer, or the web host's page), with JSX.
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser, parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  layer(
    ['src/renderer/**'],
    ['node:*', 'electron', '**/signing/**', '**/main/**', '**/cli/**'],
    'The renderer talks to the engine only through the preload bridge.',
  ),
  {
    files: ['src/signing/**', 'src/shared/**'],
    rules: { 'no-console': 'error' },
  },
);
