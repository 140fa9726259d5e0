// Lint for the whole monorepo (ESLint flat config). Formatting belongs to Prettier (.prettierrc.json):
// no rule here judges layout.
//
// - .ts in a package tsconfig: typescript-eslint strict-type-checked, minus the few rules whose noise
//   outweighs their catch in this codebase (listed with the reason).
// - tests (*.test.ts) and configs outside any tsconfig: the same strict rules without type information.
// - .vue: eslint-plugin-vue recommended + typescript-eslint strict (no type information: the TS
//   project service cannot see inside SFCs; vue-tsc type-checks them in `npm run build -w console`).
import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Network safety is absolute in this repository: code, tests and configs may name only loopback
 * addresses. This local rule flags any other IPv4 literal in a string or template.
 */
const ipv4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
const loopbackOnly = {
  meta: {
    type: 'problem',
    docs: { description: 'Only 127.0.0.1 / ::1 may be written as IP literals' },
    messages: { forbidden: 'IP literal {{ip}}: only 127.0.0.1 / ::1 may appear in code, tests and configs.' },
    schema: [],
  },
  create(context) {
    const check = (node, text) => {
      for (const [ip] of text.matchAll(ipv4)) {
        if (ip !== '127.0.0.1') context.report({ node, messageId: 'forbidden', data: { ip } });
      }
    };
    return {
      Literal(node) {
        if (typeof node.value === 'string') check(node, node.value);
      },
      TemplateElement(node) {
        check(node, node.value.raw);
      },
    };
  },
};
const watchpost = { rules: { 'loopback-only': loopbackOnly } };

/** Rules relaxed or added everywhere, with why. */
const common = {
  'watchpost/loopback-only': 'error',
  // Unused arguments named `_x` document a required signature.
  '@typescript-eslint/no-unused-vars': [
    'error',
    { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
  ],
  // Error subclasses and module-style classes with statics are fine here.
  '@typescript-eslint/no-extraneous-class': 'off',
};

/** Type-aware rules relaxed, with why. */
const relaxedTyped = {
  // `${count}` on numbers and booleans is intended and readable.
  '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
  // protobufjs generated classes (Long, message classes) and TypeORM option classes are meant to be
  // given plain objects of their shape; this rule would flag every such call.
  '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
  // `() => void x` in handlers and `return done()` in a void function are idiomatic.
  '@typescript-eslint/no-confusing-void-expression': [
    'error',
    { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'proto/gen/**',
      'console/dist/**',
      'data/**',
      'coverage/**',
      '.tmp/**',
    ],
  },

  js.configs.recommended,
  { plugins: { watchpost }, rules: { 'watchpost/loopback-only': 'error' } },

  // Type-aware strict rules for the TypeScript that package tsconfigs compile.
  {
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: { ...common, ...relaxedTyped },
  },

  // Tests, bench scripts and tool configs are not in a package tsconfig (tsconfigs exclude
  // *.test.ts): strict rules, no type information. Tests may use non-null assertions on fixtures.
  {
    files: ['**/*.test.ts', 'tests/**/*.ts', 'scripts/**/*.ts', '**/vite.config.ts'],
    extends: [tseslint.configs.disableTypeChecked, tseslint.configs.strict],
    rules: {
      ...common,
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },

  // Vue single-file components.
  {
    files: ['console/**/*.vue'],
    extends: [
      tseslint.configs.strict,
      pluginVue.configs['flat/recommended'],
      pluginVue.configs['no-layout-rules'],
    ],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' },
      globals: globals.browser,
    },
    rules: {
      ...common,
      // Element Plus components are imported as ElX and used as <el-x>.
      'vue/component-name-in-template-casing': ['error', 'kebab-case', { registeredComponentsOnly: false }],
      'vue/multi-word-component-names': 'off',
    },
  },

  // Environments.
  { files: ['console/src/**'], languageOptions: { globals: globals.browser } },
  {
    files: ['agent/**', 'hub/**', 'proto/**', 'scripts/**', 'tests/**', '**/*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },

  // Plain JavaScript (bins, generator scripts, this file): no TypeScript rules.
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
