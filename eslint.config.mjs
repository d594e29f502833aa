// One lint for the whole repository: type-aware typescript-eslint rules on the TypeScript sources
// (the functions, the typed client and the web app) and on the JavaScript of the local stack, tools,
// benchmarks and tests (typed with JSDoc, tsconfig.checkjs.json). Run by `npm test` (test/lint/lint.test.js)
// and `npm run lint`; tools/lint.cjs also runs the type check of that JavaScript.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "functions/lib/**",
      ".local-stack/**",
      "client/dist/**",
      "web/dist/**",
      "test-artifacts/**",
      "functions/lib.build-*/**",
      "functions/lib.old-*/**",
      "**/*.d.ts",
    ],
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "commonjs",
      globals: { ...globals.node, ...globals.mocha },
    },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // The JavaScript of the local stack, tools, benchmarks and tests: typescript-eslint's type-aware rules
    // too, on the types of tsconfig.checkjs.json (JSDoc; strict in every file that starts with
    // `// @ts-check`). The no-unsafe-* family is off here: in JavaScript a value that the libraries
    // type as `any` (JSON.parse, a snapshot's val(), an HTTP body) can only be narrowed with a JSDoc
    // cast on every use, which would bury the tests' intent; the TypeScript sources keep those rules.
    files: ["local/**/*.js", "local/**/*.cjs", "tools/**/*.cjs", "bench/**/*.cjs", "test/**/*.js", "test/**/*.cjs"],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: ["./tsconfig.checkjs.json"], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      // CommonJS: require() is how these files import.
      "@typescript-eslint/no-require-imports": "off",
      // Node-style SDK callbacks (opentok, firebase-server) hand over errors typed `any`; rejecting
      // with them is what the promise wrappers are for.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
      // A `let` declared before the closures that read it and assigned once below is a forward
      // declaration (the stand-in's routers), not a missed const.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // Tests wrap SDK callbacks whose error parameter is typed `unknown`: `error ? reject(error) : ...`
    // narrows it to `{}`, which the rule refuses, although it is the SDK's error as it was passed.
    files: ["test/**/*.js", "local/*/test/**/*.js"],
    rules: { "@typescript-eslint/prefer-promise-reject-errors": "off" },
  },
  {
    files: ["**/*.mjs"],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: globals.node },
  },
  {
    files: ["functions/src/**/*.ts", "client/**/*.ts", "rules/**/*.ts"],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // The web app (web/): the same type-aware rules, in the browser.
    files: ["web/**/*.ts", "web/**/*.tsx"],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // Tests read untyped database snapshots (`.val()` is `any` in the SDK's types) and fake async
    // interfaces; production code keeps every rule.
    files: ["functions/src/**/*.test.ts", "functions/src/testing/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
);
