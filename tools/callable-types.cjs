// @ts-check
/**
 * The callables' input and output types as small trees, read with the TypeScript checker from the
 * typed client (client/src/callables.ts, which takes them from the contract, functions/src/contract). Shared by the API
 * reference (tools/api-reference.cjs) and the client's declarations (tools/client-declarations.cjs).
 *
 *   { kind: "scalar", text, notes }      a primitive, literal or enum (`text` is TypeScript)
 *   { kind: "object", fields: [{ name, optional, type }], index }   index: the type of any other key
 *   { kind: "array", items, limits }
 *   { kind: "union", members }
 */
"use strict";
const path = require("node:path");

/**
 * @typedef {{ kind: "scalar", text: string, notes: string[] }} ScalarTree
 * @typedef {{ name: string, optional: boolean, type: TypeTree }} FieldTree
 * @typedef {{ kind: "object", fields: FieldTree[], index: TypeTree | null }} ObjectTree
 * @typedef {{ kind: "array", items: TypeTree, limits: string[] }} ArrayTree
 * @typedef {{ kind: "union", members: TypeTree[] }} UnionTree
 * @typedef {ScalarTree | ObjectTree | ArrayTree | UnionTree} TypeTree
 * @typedef {import("typescript").Type} Type
 */

const root = path.resolve(__dirname, "..");
/** @param {string} text @param {string[]} [notes] @returns {ScalarTree} */
const scalar = (text, notes = []) => ({ kind: "scalar", text, notes });

/**
 * A union with nested unions flattened, repeated scalars dropped and `true | false` written as boolean.
 * @param {TypeTree[]} members
 * @returns {TypeTree}
 */
function union(members) {
  const flat = members.flatMap((member) => (member.kind === "union" ? member.members : [member]));
  const seen = new Set();
  const unique = flat.filter((member) => {
    if (member.kind !== "scalar") return true;
    const key = `${member.text} ${member.notes.join(",")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const literals = unique.filter((m) => m.kind === "scalar" && (m.text === "true" || m.text === "false") && !m.notes.length);
  const merged = literals.length === 2 ? [scalar("boolean"), ...unique.filter((m) => !literals.includes(m))] : unique;
  return merged.length === 1 ? merged[0] : { kind: "union", members: merged };
}

/**
 * A program over the typed client plus one probe file (`probeText`, as if at client/src/__probe.ts),
 * and a converter from the probe's types to trees.
 * @param {string} probeText
 */
function clientProgram(probeText) {
  /** @type {typeof import("typescript")} */
  const ts = require(path.join(root, "functions", "node_modules", "typescript"));
  const configFile = path.join(root, "client", "tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error(`cannot read ${configFile}`);
  const probe = path.join(root, "client", "src", "__reference_probe.ts");
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => (path.resolve(file) === probe ? probeText : readFile(file));
  host.fileExists = (
    (exists) => (file) =>
      path.resolve(file) === probe || exists(file)
  )(host.fileExists.bind(host));
  host.getSourceFile = (file, language, ...rest) =>
    path.resolve(file) === probe ? ts.createSourceFile(file, probeText, language) : getSourceFile(file, language, ...rest);
  const program = ts.createProgram({ rootNames: [probe], options: { ...config.options, noEmit: true }, host });
  const checker = program.getTypeChecker();
  const source = /** @type {import("typescript").SourceFile} */ (program.getSourceFile(probe));
  /** @type {(type: Type, depth?: number) => TypeTree} */
  const toTree = (type, depth = 0) => {
    if (type.isUnion()) {
      // JSON has no undefined: an `undefined` member only means the field may be missing.
      return union(type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined)).map((t) => toTree(t, depth)));
    }
    if (checker.isArrayType(type))
      return {
        kind: "array",
        items: toTree(checker.getTypeArguments(/** @type {import("typescript").TypeReference} */ (type))[0], depth),
        limits: [],
      };
    const properties = type.getProperties();
    const index = type.getStringIndexType();
    // An intersection (`Omit<Record, "x"> & { x: ... }`) reads as the object it amounts to.
    const isPlainObject =
      type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection) && (properties.length || index) && !type.getCallSignatures().length;
    if (!isPlainObject || depth > 8) return scalar(checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation));
    const fields = inDeclarationOrder(properties).map((property) => {
      const declared = property.valueDeclaration ?? property.declarations?.[0];
      const optional = Boolean(property.flags & ts.SymbolFlags.Optional);
      // An optional field's `undefined` is dropped by union(); a `null` it may hold stays.
      const propertyType = checker.getTypeOfSymbolAtLocation(property, declared ?? source);
      return { name: property.getName(), optional, type: toTree(propertyType, depth + 1) };
    });
    return { kind: "object", fields, index: index ? toTree(index, depth + 1) : null };
  };
  /**
   * Properties in the order they are written: a mapped type (`z.infer` of a zod object, `Omit<...>`)
   * lists them as the checker first met their names; each keeps its declaration, so sort by it
   * (within each file, files in the order they first appear).
   */
  /** @param {import("typescript").Symbol[]} properties */
  const inDeclarationOrder = (properties) => {
    const placed = properties.map((property, index) => {
      const declaration = property.declarations?.[0];
      return { property, index, file: declaration?.getSourceFile().fileName ?? "", pos: declaration?.pos ?? index };
    });
    /** @type {Map<string, number>} */
    const firstIndex = new Map();
    for (const entry of placed) if (!firstIndex.has(entry.file)) firstIndex.set(entry.file, entry.index);
    const order = (/** @type {{ file: string }} */ entry) => firstIndex.get(entry.file) ?? 0;
    return placed.sort((a, b) => order(a) - order(b) || a.pos - b.pos).map((entry) => entry.property);
  };
  /**
   * The probe's `export declare const name: T` declarations as trees, by name. Each type is resolved
   * and converted before the next one: the checker orders the fields of a type as it first meets them.
   */
  const declaredTrees = () => {
    /** @type {Record<string, TypeTree>} */
    const trees = {};
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) trees[declaration.name.text] = toTree(checker.getTypeAtLocation(declaration.name));
      }
    }
    return trees;
  };
  return { ts, checker, toTree, declaredTrees };
}

module.exports = { scalar, union, clientProgram };
