/** The video tiles of one session: real subscribers deployed, the stand-in's simulated streams locally. */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { MediaSession, Tile } from "../media";
import { initials } from "../media/snapshot";

function TileView({ tile, media, action }: { tile: Tile; media: MediaSession; action?: (tile: Tile) => ComponentChildren }) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (media.simulated || tile.own || !target.current) return;
    media.attach(tile.streamId, target.current);
    return () => media.detach(tile.streamId);
  }, [media, tile.streamId, tile.own]);
  return (
    <li class={`tile ${tile.own ? "tile-own" : ""}`} data-testid="tile">
      <div class="tile-video" ref={target}>
        {media.simulated ? (
          <span class="tile-avatar" aria-hidden="true">
            {initials(tile.name)}
          </span>
        ) : null}
      </div>
      <span class="tile-name">
        {tile.name}
        {tile.own ? " (you)" : ""}
        {media.simulated ? <span class="badge">simulated stream</span> : null}
      </span>
      {action && !tile.own ? <div class="tile-action">{action(tile)}</div> : null}
    </li>
  );
}

/**
 * `ownOnly`: just this page's stream (a fan backstage must not see the other fans waiting there).
 * `action`: a control under each tile of another's stream (the producer's mute).
 */
export function Tiles({
  media,
  label,
  empty,
  ownOnly,
  action,
}: {
  media: MediaSession | null;
  label: string;
  empty: string;
  ownOnly?: boolean;
  action?: (tile: Tile) => ComponentChildren;
}) {
  const [tiles, setTiles] = useState<Tile[]>([]);
  useEffect(() => {
    setTiles([]);
    return media?.watch((all) => setTiles(ownOnly ? all.filter((tile) => tile.own) : all));
  }, [media, ownOnly]);
  return (
    <section class="tiles" aria-label={label}>
      <h3>{label}</h3>
      {!media || tiles.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <ul class="tile-grid">
          {tiles.map((tile) => (
            <TileView key={tile.streamId} tile={tile} media={media} action={action} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function SimulatedMediaNote() {
  return (
    <p class="note" role="note">
      Local stack: there is no media server, so media is simulated. Video tiles show the Vonage stand-in's simulated participants and
      streams; everything else on this page is the real backend.
    </p>
  );
}
