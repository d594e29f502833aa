/**
 * A function instance in a process of its own, for the instance-kill test (tests/hardening/
 * instanceKill): runs one status change against the test database server and the Vonage stand-in
 * named by the environment it inherits (FIREBASE_DATABASE_EMULATOR_HOST, VONAGE_API_URL, the local
 * secrets), as the system (no caller), and says on stdout when it is done. The test kills it midway.
 *
 *   node statusChangeInstance.js <eventId> <target>
 */
import "./harness";
import { setTaskEnqueuerForTests } from "../platform/tasks";
import { changeEventStatus } from "../events/lifecycle/runner";
import type { EventStatus } from "../events/model";

async function main(): Promise<void> {
  const [eventId, target] = process.argv.slice(2);
  // Cloud Tasks are not reachable here; the broadcast stop task is the backstop's to replace.
  setTaskEnqueuerForTests(async () => undefined);
  const report = await changeEventStatus(eventId, target as EventStatus, null);
  process.stdout.write(`${JSON.stringify({ outcome: report.outcome, failures: report.failures.length })}\n`);
  process.exit(0);
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
