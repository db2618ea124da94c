// ESLint flat config: the recommended JavaScript and typescript-eslint rules over the whole
// TypeScript tree, plus the layer rules that keep imports pointing down (see src/layers.ts).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
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
