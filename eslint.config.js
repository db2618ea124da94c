// ESLint flat config: the recommended JavaScript and typescript-eslint rules over the whole
// TypeScript tree, plus the layer rules that keep imports in src/ pointing down.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, lowest first. A file may import from its own layer and the layers below,
 * never from a layer above (query reads the journal written by sinks; the logger assembles
 * processors, sinks and query, and runs them in
 * a worker thread in thread mode; instrumentation, reports and the CLI sit on top).
 */
const LAYERS = [
  ['events', 'record'],
  ['processors', 'verify'],
  ['sinks', 'alerts'],
  ['query'],
  ['logger', 'thread'],
  ['instrumentation'],
  ['reports'],
  ['cli'],
];

/** One config block per layer: imports of any directory above it are errors. */
const layerRules = LAYERS.slice(0, -1).map((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  return {
    files: layer.map((dir) => `src/${dir}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${above.join('|')})/`,
              message: `src/${layer.join(', src/')} must not import from a layer above it (${above.join(', ')}).`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  ...layerRules,
  {
    // one way to turn a thrown value into text or an Error: src/events/error-text.ts
    files: ['src/**/*.ts'],
    ignores: ['src/events/error-text.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ConditionalExpression > BinaryExpression.test[operator='instanceof'][right.name='Error']",
          message: 'Use errorText / errorCodeText / errorKind / asError from src/events/error-text.ts.',
        },
      ],
    },
  },
  {
    // chai's property assertions (`expect(x).to.be.true`) are expressions by design
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
