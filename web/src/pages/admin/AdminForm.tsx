/**
 * Create or edit an admin with their Vonage credential: a Vonage application (id + private key, what new
 * customers have) or a legacy OpenTok pair (API key + secret). Secrets are write-only: the form never
 * shows a stored one (the backend never answers it), and clears what was typed once it is saved.
 */
import { useId, useState } from "preact/hooks";
import type { CallableInput } from "@interactive-broadcast/client";
import { CheckField, Form, TextField } from "../../ui/fields";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import { useProducer } from "../console/session";
import { credentialText, type Admin } from "./credentials";

type Kind = "keep" | "none" | "application" | "legacy";

function PrivateKeyField({ value, onValue }: { value: string; onValue: (value: string) => void }) {
  const id = useId();
  return (
    <div class="field">
      <label for={`${id}-file`}>Private key file (private.key)</label>
      <input
        id={`${id}-file`}
        type="file"
        accept=".key,.pem,text/plain"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file) void file.text().then(onValue);
        }}
      />
      <label for={`${id}-pem`}>or paste the private key (PEM)</label>
      <textarea
        id={`${id}-pem`}
        class="secret"
        rows={3}
        value={value}
        spellcheck={false}
        autoComplete="off"
        onInput={(event) => onValue(event.currentTarget.value)}
      />
      <small class="hint">{value ? "A key is ready to send (hidden)." : "Never shown back: the backend seals it."}</small>
    </div>
  );
}

export function AdminForm({ admin, onSaved, onCancel }: { admin: Admin | null; onSaved: (admin: Admin) => void; onCancel: () => void }) {
  const { backend } = useProducer();
  const [displayName, setDisplayName] = useState(admin?.displayName ?? "");
  const [email, setEmail] = useState(admin?.email ?? "");
  const [password, setPassword] = useState("");
  const [superAdmin, setSuperAdmin] = useState(admin?.superAdmin ?? false);
  const [hls, setHls] = useState(admin?.hls ?? true);
  const [kind, setKind] = useState<Kind>(admin ? "keep" : "none");
  const [applicationId, setApplicationId] = useState(admin?.vonageApplicationId ?? "");
  const [privateKey, setPrivateKey] = useState("");
  const [apiKey, setApiKey] = useState(admin?.otApiKey ?? "");
  const [secret, setSecret] = useState("");
  const { outcome, run, busy } = useOutcome();
  const kindId = useId();
  const credentialFields = (): Partial<CallableInput<"createAdmin">> => {
    if (kind === "application")
      return { vonageApplicationId: applicationId.trim(), ...(privateKey ? { vonagePrivateKey: privateKey } : {}) };
    if (kind === "legacy") return { otApiKey: apiKey.trim(), ...(secret ? { otSecret: secret } : {}) };
    return {};
  };
  const save = () =>
    void run(admin ? "Saving…" : "Creating…", async () => {
      let saved: Admin;
      if (admin) {
        const input: CallableInput<"updateAdmin"> = { id: admin.id, ...credentialFields() };
        if (displayName.trim() !== admin.displayName) input.displayName = displayName.trim();
        if (email.trim() !== admin.email) input.email = email.trim();
        if (password) input.password = password;
        if (superAdmin !== admin.superAdmin) input.superAdmin = superAdmin;
        if (hls !== admin.hls) input.hls = hls;
        if (kind === "none" && admin.hasOwnCredentials) input.clearCredentials = true;
        saved = (await backend.api.updateAdmin(input)).admin;
      } else {
        saved = (
          await backend.api.createAdmin({
            displayName: displayName.trim(),
            email: email.trim(),
            password,
            superAdmin,
            hls,
            ...credentialFields(),
          })
        ).admin;
      }
      setPassword("");
      setPrivateKey("");
      setSecret("");
      onSaved(saved);
      return `${admin ? "Saved" : "Created"} ${saved.displayName}: ${credentialText(saved)}.`;
    });
  return (
    <Form label={admin ? `Edit ${admin.displayName}` : "New admin"} onSubmit={save}>
      <h2>{admin ? `Edit ${admin.displayName}` : "New admin"}</h2>
      <TextField label="Name" value={displayName} onValue={setDisplayName} required maxLength={100} />
      <TextField label="E-mail" type="email" value={email} onValue={setEmail} required autocomplete="off" />
      <TextField
        label={admin ? "New password (leave empty to keep)" : "Password (8 to 128 characters)"}
        type="password"
        value={password}
        onValue={setPassword}
        required={!admin}
        autocomplete="new-password"
      />
      <CheckField label="superAdmin (manages admins)" checked={superAdmin} onValue={setSuperAdmin} />
      <CheckField label="HLS for this admin's shows (fans beyond the seats watch the stream)" checked={hls} onValue={setHls} />
      <fieldset>
        <legend>Vonage credential</legend>
        {admin ? <p class="muted">Now: {credentialText(admin)}</p> : null}
        <div class="field">
          <label for={kindId}>Credential</label>
          <select id={kindId} value={kind} onChange={(event) => setKind(event.currentTarget.value as Kind)}>
            {admin ? <option value="keep">Keep the current one</option> : null}
            <option value="none">
              {admin?.hasOwnCredentials ? "Drop it: use the project-wide credential" : "The project-wide credential"}
            </option>
            <option value="application">A Vonage application (application id + private key)</option>
            <option value="legacy">A legacy OpenTok project (API key + secret)</option>
          </select>
        </div>
        {kind === "application" ? (
          <>
            <TextField
              label="Application id"
              value={applicationId}
              onValue={setApplicationId}
              required
              hint="A UUID, from the Vonage dashboard (Applications)."
            />
            <PrivateKeyField value={privateKey} onValue={setPrivateKey} />
          </>
        ) : null}
        {kind === "legacy" ? (
          <>
            <TextField label="API key" value={apiKey} onValue={setApiKey} required />
            <TextField
              label={admin?.credentialKind === "legacy" ? "API secret (leave empty to keep)" : "API secret"}
              type="password"
              value={secret}
              onValue={setSecret}
              required={admin?.credentialKind !== "legacy"}
              autocomplete="off"
            />
          </>
        ) : null}
      </fieldset>
      <div class="row">
        <button type="submit" disabled={busy}>
          {admin ? "Save admin" : "Create admin"}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <OutcomeLine outcome={outcome} testId="admin-outcome" />
    </Form>
  );
}
