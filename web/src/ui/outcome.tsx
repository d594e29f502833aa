/**
 * Every action shows its outcome: a busy state while it runs, then what happened (or the error, with
 * the callable's code) in a polite live region that screen readers announce.
 */
import { useCallback, useState } from "preact/hooks";
import { errorText } from "../lib/errors";

export interface Outcome {
  kind: "busy" | "ok" | "error";
  text: string;
}

export function useOutcome() {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const run = useCallback(async (busyText: string, action: () => Promise<string | void>): Promise<boolean> => {
    setOutcome({ kind: "busy", text: busyText });
    try {
      const text = await action();
      setOutcome(text ? { kind: "ok", text } : null);
      return true;
    } catch (error) {
      setOutcome({ kind: "error", text: errorText(error) });
      return false;
    }
  }, []);
  const clear = useCallback(() => setOutcome(null), []);
  return { outcome, run, busy: outcome?.kind === "busy", clear };
}

export function OutcomeLine({ outcome, testId }: { outcome: Outcome | null; testId?: string }) {
  return (
    <p class={`outcome ${outcome ? `outcome-${outcome.kind}` : ""}`} role="status" aria-live="polite" data-testid={testId}>
      {outcome ? outcome.text : ""}
    </p>
  );
}
