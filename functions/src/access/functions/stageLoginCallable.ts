/**
 * The callable shape `loginHost` and `loginCelebrity` share: `{adminId, slug}` where `slug` is the
 * event's link secret for the role (required: IBS issued a stage token for the current event from the
 * public adminId alone, docs/ibs-flaws.md#5), for anyone, rate limited.
 */
import { validatedCallable } from "../../platform/callable";
import { accessInputs, type EventLoginAnswer } from "../../contract/callables/access";
import { stageLogin, type StageRole } from "../eventLogin";

export function stageLoginCallable(role: StageRole) {
  return validatedCallable({
    name: role === "host" ? "loginHost" : "loginCelebrity",
    input: accessInputs[role === "host" ? "loginHost" : "loginCelebrity"],
    allow: "anyone",
    rateLimited: true,
    handler: (data): Promise<EventLoginAnswer> => stageLogin(role, data.adminId, data.slug),
  });
}
