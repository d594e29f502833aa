/**
 * The HLS player (hls.js; Safari plays HLS natively). Vonage serves the first segments some 15-20 s
 * after the broadcast starts, so a missing playlist is retried for a while.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { mediaSimulated } from "../../media";

type State = "loading" | "playing" | "noMedia" | "unsupported" | "error";

export function HlsPlayer({ url }: { url: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<State>("loading");
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    let destroyed = false;
    let destroy = () => {};
    void (async () => {
      const { default: Hls } = await import("hls.js");
      if (destroyed) return;
      if (!Hls.isSupported()) {
        if (element.canPlayType("application/vnd.apple.mpegurl")) {
          element.src = url;
          setState("playing");
        } else setState("unsupported");
        return;
      }
      const hls = new Hls({ manifestLoadingMaxRetry: 6, manifestLoadingRetryDelay: 3000, enableWorker: false });
      destroy = () => hls.destroy();
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        setState("playing");
        element.muted = true;
        void element.play().catch(() => undefined);
      });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        // The local stand-in's segments carry no media: the player finds nothing to play.
        setState(data.type === Hls.ErrorTypes.MEDIA_ERROR || data.type === Hls.ErrorTypes.MUX_ERROR ? "noMedia" : "error");
        hls.destroy();
      });
      hls.loadSource(url);
      hls.attachMedia(element);
    })();
    return () => {
      destroyed = true;
      destroy();
    };
  }, [url]);
  const simulated = mediaSimulated();
  const text: Record<State, string> = {
    loading: "Loading the stream…",
    playing: simulated ? "Playing the HLS stream (simulated locally: the stand-in's stream has no picture)." : "Playing the HLS stream.",
    noMedia: simulated
      ? "The HLS stream is running. Locally its segments are placeholders with no media, so there is no picture."
      : "The stream has no playable media yet.",
    unsupported: "This browser cannot play HLS.",
    error: "The stream could not be loaded; reload the page to try again.",
  };
  return (
    <div class="hls">
      <video ref={video} controls playsInline muted class="hls-video" aria-label="The show's HLS stream" data-testid="hls-video" />
      <p role="status" data-testid="hls-state" data-state={state}>
        {text[state]}
      </p>
    </div>
  );
}
