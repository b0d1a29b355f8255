// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The suite reaches the embedded sandbox only through lib/embedded-sandbox.ts (its one list of imports). */
const EMULATOR_PATH = '(^|/)sandbox/(src|test)/';
const EMULATOR_MESSAGE = 'Suite code imports the embedded sandbox only through lib/embedded-sandbox.ts; add what you need there.';

export default tseslint.config(
  { ignores: ['node_modules/**', 'reports/**', 'test-results/**', 'playwright-report/**', '.scratch/**', 'allure-results/**', 'allure-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Playwright fixtures must destructure their dependencies even when unused.
      'no-empty-pattern': 'off',
    },
  },
  {
    files: ['lib/**', 'fixtures/**', 'tests/**', 'selftest/**', 'playwright.config.ts'],
    ignores: ['lib/embedded-sandbox.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: EMULATOR_PATH, message: EMULATOR_MESSAGE }] }],
      'no-restricted-syntax': ['error', { selector: `ImportExpression[source.value=/${EMULATOR_PATH.replace(/\//g, '\\/')}/]`, message: EMULATOR_MESSAGE }],
    },
  },
);
