/** The superAdmin page: admins and their Vonage credentials (public halves only). */
import { useEffect, useState } from "preact/hooks";
import { errorText } from "../../lib/errors";
import { dateTime } from "../../lib/format";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import { useProducer } from "../console/session";
import { AdminForm } from "./AdminForm";
import { credentialText, type Admin } from "./credentials";

function DeleteAdmin({ admin, onDeleted }: { admin: Admin; onDeleted: () => void }) {
  const { backend } = useProducer();
  const [confirming, setConfirming] = useState(false);
  const { outcome, run, busy } = useOutcome();
  if (!confirming) {
    return (
      <button type="button" class="danger secondary" onClick={() => setConfirming(true)} aria-label={`Delete ${admin.displayName}`}>
        Delete
      </button>
    );
  }
  return (
    <span class="confirm">
      <span>Delete {admin.displayName} and all their events?</span>
      <button
        type="button"
        class="danger"
        disabled={busy}
        onClick={() =>
          void run("Deleting…", async () => {
            const answer = await backend.api.deleteAdmin({ id: admin.id });
            onDeleted();
            return `Deleted ${admin.displayName} (${answer.removedEvents} events).`;
          })
        }
      >
        Yes, delete
      </button>
      <button type="button" class="secondary" onClick={() => setConfirming(false)}>
        Keep
      </button>
      <OutcomeLine outcome={outcome} />
    </span>
  );
}

export function AdminsPage() {
  const { backend, admin: me } = useProducer();
  const [admins, setAdmins] = useState<Admin[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Admin | "new" | null>(null);
  const [version, setVersion] = useState(0);
  const { outcome, run } = useOutcome();
  useEffect(() => {
    backend.api.getAdmins().then(
      (answer) => setAdmins(Object.values(answer.admins).sort((a, b) => a.createdAt - b.createdAt)),
      (failure: unknown) => setError(errorText(failure)),
    );
  }, [backend, version]);
  return (
    <main id="main">
      <div class="heading-row">
        <h1>Admins</h1>
        <button type="button" onClick={() => setEditing("new")}>
          New admin
        </button>
      </div>
      <p class="muted">Secrets and private keys are sealed by the backend and never shown; only their public halves are listed.</p>
      {editing ? (
        <section class="panel">
          <AdminForm
            admin={editing === "new" ? null : editing}
            onSaved={(saved) => {
              setEditing(null);
              setVersion((v) => v + 1);
              void run("", () => Promise.resolve(`Saved ${saved.displayName}: ${credentialText(saved)}.`));
            }}
            onCancel={() => setEditing(null)}
          />
        </section>
      ) : null}
      <OutcomeLine outcome={outcome} testId="admins-outcome" />
      {error ? <p role="alert">{error}</p> : null}
      {admins ? (
        <table class="table" data-testid="admins-table">
          <caption class="visually-hidden">Admins</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">HLS</th>
              <th scope="col">Vonage credential</th>
              <th scope="col">Last login</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {admins.map((admin) => (
              <tr key={admin.id}>
                <th scope="row">{admin.displayName}</th>
                <td>{admin.email}</td>
                <td>{admin.superAdmin ? "superAdmin" : "admin"}</td>
                <td>{admin.hls ? "on" : "off"}</td>
                <td>{credentialText(admin)}</td>
                <td>{dateTime(admin.lastLoginAt)}</td>
                <td class="actions">
                  <button type="button" class="secondary" onClick={() => setEditing(admin)} aria-label={`Edit ${admin.displayName}`}>
                    Edit
                  </button>
                  {admin.id !== me.id ? <DeleteAdmin admin={admin} onDeleted={() => setVersion((v) => v + 1)} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : !error ? (
        <p class="muted">Loading admins…</p>
      ) : null}
    </main>
  );
}
