/**
 * An event image (`{id, url}`, id under `eventImages/{adminId}/`). Deployed, the producer uploads a file
 * to Firebase Storage (storage.rules: own folder, images, 5 MB). The offline local stack has no Storage
 * emulator, so there (and for images hosted elsewhere) the image is given by its URL.
 */
import { useId, useState } from "preact/hooks";
import type { FirebaseApp } from "firebase/app";
import { config } from "../../lib/config";
import { OutcomeLine, useOutcome } from "../../ui/outcome";

export interface EventImage {
  id: string;
  url: string;
}

function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

export function imageFromUrl(adminId: string, url: string): EventImage {
  return { id: `eventImages/${adminId}/link-${shortHash(url)}`, url };
}

async function upload(app: FirebaseApp, adminId: string, file: File): Promise<EventImage> {
  const { getStorage, ref, uploadBytes, getDownloadURL } = await import("firebase/storage");
  const safe = file.name.replace(/[^A-Za-z0-9._-]/g, "_").slice(-80);
  const id = `eventImages/${adminId}/${Date.now().toString(36)}-${safe}`;
  const stored = await uploadBytes(ref(getStorage(app), id), file, { contentType: file.type });
  return { id, url: await getDownloadURL(stored.ref) };
}

export function ImageField(props: {
  label: string;
  adminId: string;
  app: FirebaseApp;
  value: EventImage | null;
  onValue: (value: EventImage | null) => void;
  sample: string;
}) {
  const id = useId();
  const [url, setUrl] = useState(props.value?.url ?? "");
  const { outcome, run, busy } = useOutcome();
  const storage = config().storage;
  const useUrl = (value: string) => {
    setUrl(value);
    props.onValue(value.trim() ? imageFromUrl(props.adminId, value.trim()) : null);
  };
  return (
    <fieldset class="image-field">
      <legend>{props.label}</legend>
      {props.value ? <img src={props.value.url} alt={`${props.label} preview`} class="preview" /> : <p class="muted">No image.</p>}
      <div class="field">
        <label for={`${id}-url`}>{props.label}: image URL</label>
        <input id={`${id}-url`} type="url" value={url} onInput={(event) => useUrl(event.currentTarget.value)} autoComplete="off" />
      </div>
      {storage ? (
        <div class="field">
          <label for={`${id}-file`}>{props.label}: upload a file (PNG, JPEG, GIF or WebP, up to 5 MB)</label>
          <input
            id={`${id}-file`}
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp"
            disabled={busy}
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              if (!file) return;
              void run("Uploading…", async () => {
                const image = await upload(props.app, props.adminId, file);
                setUrl(image.url);
                props.onValue(image);
                return "Uploaded.";
              });
            }}
          />
        </div>
      ) : (
        <p class="hint">The local stack has no Storage emulator: give an image URL (uploads work when deployed).</p>
      )}
      <div class="row">
        <button type="button" class="secondary" onClick={() => useUrl(new URL(props.sample, location.origin).toString())}>
          Use the sample {props.label.toLowerCase()}
        </button>
        {props.value ? (
          <button type="button" class="secondary" onClick={() => useUrl("")}>
            Remove {props.label.toLowerCase()}
          </button>
        ) : null}
      </div>
      <OutcomeLine outcome={outcome} />
    </fieldset>
  );
}
