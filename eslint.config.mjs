/**
 * ESLint for Flowbook (`npm run lint`): import boundaries between the parts of
 * docs/architecture.md, the rules of React hooks, and typescript-eslint's recommended rules.
 *
 * The boundary rules are built at load time from the parts table in docs/architecture.md
 * (eslint-rules/architecture.mjs reads and checks it): a file in a part may import only the
 * parts listed under its "may import". To change what a part may import, change that page.
 */
import path from 'node:path';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { ARCHITECTURE_DOC, isFileFolder, readParts } from './eslint-rules/architecture.mjs';

const root = import.meta.dirname;
const parts = readParts(root);

/** Tests, benchmarks and end-to-end specs build whatever they test from any part. */
const EXEMPT_FROM_BOUNDARIES = ['**/*.test.ts', '**/*.test.tsx', 'test/**', 'bench/**', 'e2e/**'];

/**
 * One element per folder of the table. boundaries classifies a file by the first element
 * whose pattern matches, so the most specific folder comes first (`app/api` before `app`).
 */
const elements = parts
  .flatMap((part) => part.folders.map((folder) => ({ part: part.name, folder })))
  .sort((a, b) => b.folder.split('/').length - a.folder.split('/').length || b.folder.length - a.folder.length)
  .map(({ part, folder }) => ({
    type: part,
    mode: 'full',
    pattern: isFileFolder(folder) ? folder : `${folder}/**`,
  }));

/** For each part, the parts it may not import: everything but itself and its "may import". */
const policies = parts.map((part) => {
  const allowed = new Set([part.name, ...part.mayImport]);
  const forbidden = parts.map((other) => other.name).filter((name) => !allowed.has(name));
  const may = part.mayImport.length > 0 ? part.mayImport.join(', ') : 'no other part';
  return {
    from: { element: { type: part.name } },
    disallow: { to: { element: { types: forbidden } } },
    message:
      `Part "${part.name}" may not import part "{{to.type}}" ({{dependency.source}}): ` +
      `"${part.name}" may import ${may} (see the parts table in ${ARCHITECTURE_DOC}).`,
  };
}).filter((policy) => policy.disallow.to.element.types.length > 0);

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const SOURCE_FILES = [...TS_FILES, '**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'];

export default tseslint.config(
  {
    // Generated code, build output and what the app or the tests write (as in .gitignore).
    ignores: [
      'lib/generated/**',
      '.next/**',
      'dist/**',
      'node_modules/**',
      'data/**',
      '.flowbook/**',
      '.cache/**',
      'bench/results/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  // typescript-eslint's recommended rules, without type information (fast, no project service).
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: config.files ?? SOURCE_FILES })),
  {
    files: SOURCE_FILES,
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      // `const { dropped: _dropped, ...rest } = x` and `_unused` parameters are intended.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  // The rules of hooks, where React runs: eslint-plugin-react-hooks' recommended preset, with
  // exhaustive-deps as an error. Two of its React Compiler rules stay off: Flowbook does not
  // run the React Compiler, `incompatible-library` only says the compiler would skip a
  // component (TanStack Virtual), and `set-state-in-effect` flags the deliberate mount-time
  // updates (reading localStorage after hydration, opening the socket once on mount).
  {
    files: ['components/**/*.{ts,tsx}', 'app/**/*.{ts,tsx}', 'lib/client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'react-hooks/incompatible-library': 'off',
      'react-hooks/set-state-in-effect': 'off',
    },
  },
  // Import boundaries from the parts table.
  {
    files: SOURCE_FILES,
    ignores: EXEMPT_FROM_BOUNDARIES,
    plugins: { boundaries },
    settings: {
      'boundaries/root-path': root,
      'boundaries/elements': elements,
      'boundaries/legacy-warnings': false,
      'import/resolver': {
        [path.join(root, 'eslint-rules/alias-resolver.cjs')]: { root },
      },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'allow', policies }],
    },
  },
);
