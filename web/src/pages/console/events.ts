import type { CallableOutput } from "@interactive-broadcast/client";

export type FullEvent = CallableOutput<"getEvent">;
export type EventStatus = FullEvent["status"];

export const STATUS_LABEL: Record<EventStatus, string> = {
  notStarted: "Not started",
  preshow: "Preshow",
  live: "Live",
  closed: "Closed",
};

export function fanPath(event: Pick<FullEvent, "adminId" | "fanUrl">): string {
  return `/show/${event.adminId}/${event.fanUrl}`;
}

export function hostPath(event: Pick<FullEvent, "adminId" | "hostUrl">): string {
  return `/show-host/${event.adminId}/${event.hostUrl}`;
}

export function celebrityPath(event: Pick<FullEvent, "adminId" | "celebrityUrl">): string {
  return `/show-celebrity/${event.adminId}/${event.celebrityUrl}`;
}
