// The part of targaryen 3 (the Realtime Database rules evaluator) that the local database server and
// the rules tests use; the package ships no types.
declare module "targaryen" {
  /** An immutable data tree node; children are its own enumerable properties. */
  export interface DataNode {
    $value(): unknown;
    $priority(): string | number | null | undefined;
    $isNull(): boolean;
    $isPrimitive(): boolean;
    $set(path: string, value: unknown, priority: unknown, now: number): DataNode;
    $merge(path: string, patch: Record<string, unknown>, now: number): DataNode;
    readonly [key: string]: unknown;
  }

  /** The outcome of one simulated operation; `info` explains the rules' decision. */
  export interface Result {
    allowed: boolean;
    info: string;
    newDatabase: Database;
  }

  export interface Ruleset {
    readonly [key: string]: unknown;
  }

  export interface Database {
    readonly root: DataNode;
    as(auth: object | null | undefined): Database;
    read(path: string, options?: { now?: number; query?: object }): Result;
    write(path: string, value: unknown, priority?: unknown, now?: number): Result;
    update(path: string, patch: object, now?: number): Result;
  }

  export function store(data: unknown, options?: { now?: number }): DataNode;
  export function ruleset(definition: object): Ruleset;
  export function database(rules: Ruleset | object, data: DataNode | unknown, now?: number): Database;
}
