import v8 from "node:v8";
import vm from "node:vm";

/** Figures the hardening suites measured, printed by `npm run test:stress` for docs/reliability.md and docs/reliability-faults.md. */
export function figure(name: string, value: unknown): void {
  if (process.env.HARDENING_FIGURES) console.log(`    [figure] ${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
}

let collect: (() => void) | undefined;

/** The heap in use after a full garbage collection (so a growth figure counts what is kept, not garbage). */
export function heapUsedAfterGc(): number {
  if (!collect) {
    v8.setFlagsFromString("--expose-gc");
    collect = vm.runInNewContext("gc") as () => void;
  }
  collect();
  return process.memoryUsage().heapUsed;
}
