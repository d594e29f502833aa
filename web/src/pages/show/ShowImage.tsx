import type { CallableOutput } from "@interactive-broadcast/client";

export type PublicEvent = CallableOutput<"getEventByKey">;

export function ShowImage({ image, alt }: { image: { url: string } | null | undefined; alt: string }) {
  if (!image?.url) return null;
  return <img class="show-image" src={image.url} alt={alt} data-testid="show-image" />;
}
