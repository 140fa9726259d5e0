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
 * Network safety is absolute in this repository: scans, probes and load tests target only loopback
 * (or hosts in network namespaces a test creates). This local rule flags private-range and
 * link-local IPv4 literals (10/8, 172.16/12, 192.168/16, 169.254/16) in strings and templates, the
 * same ranges the before-stop hook looks for. Public-looking dotted quads are not flagged: package
 * versions such as "1.2.3.4" look the same.
 */
const ipv4 = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}(?![\d.])/g;
const isPrivate = (a, b) =>
  a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
const loopbackOnly = {
  meta: {
    type: 'problem',
    docs: { description: 'No private-range or link-local IP literals' },
    messages: { forbidden: 'IP literal {{ip}}: only loopback (127.0.0.0/8, ::1) may be a target here.' },
    schema: [],
  },
  create(context) {
    const check = (node, text) => {
      for (const [ip, a, b] of text.matchAll(ipv4)) {
        if (isPrivate(Number(a), Number(b))) context.report({ node, messageId: 'forbidden', data: { ip } });
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
    files: [
      '**/*.test.ts',
      '**/*.spec.ts',
      'tests/**/*.ts',
      'scripts/**/*.ts',
      '**/vite.config.ts',
      '**/vitest.config.ts',
    ],
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
