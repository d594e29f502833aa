import type { CallableOutput } from "@interactive-broadcast/client";

export type Admin = CallableOutput<"getAdmin">["admin"];

/** The admin's Vonage credential, by its public half only (secrets are never answered). */
export function credentialText(admin: Admin): string {
  if (admin.credentialKind === "application") return `Vonage application ${admin.vonageApplicationId}`;
  if (admin.credentialKind === "legacy") return `Legacy OpenTok project ${admin.otApiKey}`;
  return "Project-wide credential";
}
