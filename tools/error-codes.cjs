// @ts-check
/**
 * The error codes each callable can answer beyond its wrapper's, for the API reference
 * (tools/api-reference.cjs): what the code reachable from the function file throws.
 *
 * Reachable means: starting from the function file's own code, every function, method, class or
 * variable it names (resolved by the TypeScript checker, through imports and `await import()`), and
 * so on from there. A code counts when reachable code names one of the error helpers of
 * platform/errors.ts or writes `new HttpsError("<code>", ...)`. Types, interfaces and type-only imports
 * name no code; the callable wrapper (platform/callable.ts) is left out, its codes come from the spec.
 * Code whose failures the caller never sees is not followed: a try block whose catch does not rethrow
 * what it caught, the promise before a `.catch` handler that does not, a timer's callback.
 *
 * Still an upper bound: a reachable helper counts even when the callable's inputs never take the path
 * that throws. The documented-errors test (functions/src/tests/documentedErrors.test.ts) triggers each
 * code the reference lists, so a code listed here that no input can reach fails that test.
 */
"use strict";
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const SOURCE_ROOT = path.join(root, "functions", "src");
const ERRORS_FILE = path.join(SOURCE_ROOT, "platform", "errors.ts");
const WRAPPER_FILE = path.join(SOURCE_ROOT, "platform", "callable.ts");

/** The helpers of platform/errors.ts and the code each one makes. */
/** @type {Record<string, string>} */
const ERROR_HELPERS = {
  invalidInput: "invalid-argument",
  unauthenticated: "unauthenticated",
  notFound: "not-found",
  failedPrecondition: "failed-precondition",
  alreadyExists: "already-exists",
  invalidArgument: "invalid-argument",
  permissionDenied: "permission-denied",
  unavailable: "unavailable",
  resourceExhausted: "resource-exhausted",
};

/** Calls whose callback runs later, never in the caller's promise. */
const LATER = new Set(["setTimeout", "setInterval", "setImmediate", "queueMicrotask", "process.nextTick"]);

/**
 * A reader over the functions' sources: `codesOf(file)` is the set of codes the code reachable from
 * that function file throws. One program for all the files (building it is the slow part).
 */
function errorCodeReader() {
  /** @type {typeof import("typescript")} */
  const ts = require(path.join(root, "functions", "node_modules", "typescript"));
  const configFile = path.join(root, "functions", "tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error(`cannot read ${configFile}`);
  const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, noEmit: true } });
  const checker = program.getTypeChecker();
  const inSources = (/** @type {import("typescript").Node} */ node) => {
    const file = path.resolve(node.getSourceFile().fileName);
    return file.startsWith(SOURCE_ROOT + path.sep) && !file.endsWith(".d.ts");
  };

  /**
   * The code a declaration runs when it is named: a function's body, a variable's or property's
   * initializer (an object literal's methods included), a whole class. Null for what runs nothing
   * (parameters, types) or lies outside our sources.
   * @param {import("typescript").Declaration} declaration
   * @returns {import("typescript").Node | null}
   */
  function codeOf(declaration) {
    if (!inSources(declaration)) return null;
    if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isClassDeclaration(declaration))
      return declaration;
    if (ts.isConstructorDeclaration(declaration) || ts.isGetAccessorDeclaration(declaration) || ts.isSetAccessorDeclaration(declaration))
      return declaration;
    if (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration))
      return declaration.initializer ?? null;
    if (ts.isShorthandPropertyAssignment(declaration)) {
      const value = checker.getShorthandAssignmentValueSymbol(declaration);
      return value?.valueDeclaration ? codeOf(value.valueDeclaration) : null;
    }
    return null;
  }

  /**
   * Whether a catch block (or a .catch handler's body) throws what it caught, itself or wrapped: any
   * `throw` whose expression names the caught value.
   * @param {import("typescript").Node} body @param {import("typescript").BindingName | undefined} caught
   */
  function rethrows(body, caught) {
    if (!caught) return false;
    if (!ts.isIdentifier(caught)) return true;
    const name = caught.text;
    /** @param {import("typescript").Node} node @returns {boolean} */
    const names = (node) =>
      (ts.isIdentifier(node) && node.text === name) || Boolean(ts.forEachChild(node, (child) => names(child) || undefined));
    /** @param {import("typescript").Node} node @returns {boolean} */
    const find = (node) =>
      (ts.isThrowStatement(node) && names(node.expression)) || Boolean(ts.forEachChild(node, (child) => find(child) || undefined));
    return find(body);
  }

  /** @param {import("typescript").Symbol} symbol */
  const resolved = (symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);

  /**
   * The codes, each with the chain of names that reaches its first use (for `--why`).
   * @param {string} file
   * @returns {Map<string, string[]>}
   */
  function codesOf(file) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${path.relative(root, file)} is not among the functions' sources`);
    /** @type {Map<string, string[]>} */
    const codes = new Map();
    /** How each followed piece of code was reached: the chain of names from the function file. */
    /** @type {Map<import("typescript").Node, string[]>} */
    const chains = new Map([[source, [path.basename(file, ".ts")]]]);
    /** @type {string[]} */
    let chain = [];
    /** @param {string} code @param {string} name */
    const add = (code, name) => {
      if (!codes.has(code)) codes.set(code, [...chain, name]);
    };
    /** @type {import("typescript").Node[]} */
    const pending = [source];
    /** @param {import("typescript").Node} node */
    const visit = (node) => {
      // Types run nothing; imports only name what the code below uses (and is followed there).
      if (ts.isTypeNode(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
      if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
      // What a caller never sees is not followed: a try block whose catch does not rethrow what it
      // caught, a promise whose .catch handler does not, and what a timer runs later.
      if (ts.isTryStatement(node) && node.catchClause && !rethrows(node.catchClause.block, node.catchClause.variableDeclaration?.name)) {
        visit(node.catchClause);
        if (node.finallyBlock) visit(node.finallyBlock);
        return;
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "catch") {
        const [handler] = node.arguments;
        if (
          handler &&
          (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) &&
          !rethrows(handler.body, handler.parameters[0]?.name)
        ) {
          visit(handler);
          return;
        }
      }
      if (ts.isCallExpression(node) && LATER.has(node.expression.getText())) return;
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "HttpsError") {
        const [first] = node.arguments ?? [];
        if (first && ts.isStringLiteral(first)) add(first.text, "new HttpsError");
      }
      if (ts.isIdentifier(node)) {
        const symbol = checker.getSymbolAtLocation(node);
        const target = symbol && resolved(symbol);
        for (const declaration of target?.declarations ?? []) {
          const declaredIn = path.resolve(declaration.getSourceFile().fileName);
          if (declaredIn === ERRORS_FILE) {
            const code = ERROR_HELPERS[target?.name ?? ""];
            if (code) add(code, node.text);
            continue;
          }
          if (declaredIn === WRAPPER_FILE) continue;
          const code = codeOf(declaration);
          if (code && !chains.has(code)) {
            chains.set(code, [...chain, `${node.text} (${path.relative(SOURCE_ROOT, declaredIn)})`]);
            pending.push(code);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    for (let next = pending.shift(); next; next = pending.shift()) {
      chain = chains.get(next) ?? [];
      ts.forEachChild(next, visit);
    }
    return codes;
  }

  return { codesOf };
}

/**
 *   node tools/error-codes.cjs <function file>   each code it can answer, with the chain of names that
 *                                                reaches it (why the reference lists the code)
 */
function main() {
  const file = process.argv[2];
  if (!file) throw new Error("usage: node tools/error-codes.cjs functions/src/<domain>/functions/<name>.ts");
  for (const [code, chain] of errorCodeReader().codesOf(path.resolve(file))) console.log(`${code}: ${chain.join(" -> ")}`);
}

if (require.main === module) main();

module.exports = { errorCodeReader, ERROR_HELPERS };
