/** Figures the hardening suites measured, printed by `npm run test:stress` for docs/reliability.md. */
export function figure(name: string, value: unknown): void {
  if (process.env.HARDENING_FIGURES) console.log(`    [figure] ${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
}
