/**
 * The producer's (and superAdmin's) sign-in: e-mail and password, then `login`, which answers the
 * admin profile and whether the ID token must be refreshed to carry the admin claims.
 */
import type { ComponentChildren } from "preact";
import { createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import { onAuthStateChanged, signInWithEmailAndPassword, signOut, type User } from "firebase/auth";
import type { CallableOutput } from "@interactive-broadcast/client";
import { backend, type Backend } from "../../lib/firebase";
import { errorText } from "../../lib/errors";
import { Form, TextField } from "../../ui/fields";
import { OutcomeLine, useOutcome } from "../../ui/outcome";

export type AdminProfile = CallableOutput<"login">["admin"];

export interface ProducerSession {
  backend: Backend;
  admin: AdminProfile;
  user: User;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<ProducerSession | null>(null);

export function useProducer(): ProducerSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useProducer outside <SignedIn>");
  return session;
}

function SignInForm({ title }: { title: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { outcome, run, busy } = useOutcome();
  const submit = () =>
    void run("Signing in…", async () => {
      await signInWithEmailAndPassword(backend("producer").auth, email.trim(), password);
    });
  return (
    <main class="narrow" id="main">
      <h1>{title}</h1>
      <p>Sign in with your admin e-mail and password.</p>
      <Form label="Sign in" onSubmit={submit}>
        <TextField label="E-mail" type="email" value={email} onValue={setEmail} required autocomplete="username" />
        <TextField label="Password" type="password" value={password} onValue={setPassword} required autocomplete="current-password" />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <OutcomeLine outcome={outcome} />
      </Form>
    </main>
  );
}

/** Renders `children` for a signed-in admin (superAdmin only when `superAdmin`), else the sign-in. */
export function SignedIn({ title, superAdmin, children }: { title: string; superAdmin?: boolean; children: ComponentChildren }) {
  const producer = backend("producer");
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [admin, setAdmin] = useState<AdminProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => onAuthStateChanged(producer.auth, setUser), [producer]);
  useEffect(() => {
    setAdmin(null);
    setError(null);
    if (!user) return;
    let current = true;
    void (async () => {
      try {
        const answer = await producer.api.login();
        if (answer.refreshIdToken) await user.getIdToken(true);
        if (current) setAdmin(answer.admin);
      } catch (failure) {
        if (current) setError(errorText(failure));
      }
    })();
    return () => {
      current = false;
    };
  }, [user, producer]);
  if (user === undefined) return <p class="muted">Loading…</p>;
  if (!user) return <SignInForm title={title} />;
  const leave = () => signOut(producer.auth);
  if (error) {
    return (
      <main class="narrow" id="main">
        <h1>{title}</h1>
        <p role="alert">This account cannot use the console: {error}</p>
        <button type="button" onClick={() => void leave()}>
          Sign out
        </button>
      </main>
    );
  }
  if (!admin) return <p class="muted">Signing in…</p>;
  if (superAdmin && !admin.superAdmin) {
    return (
      <main class="narrow" id="main">
        <h1>{title}</h1>
        <p role="alert">Only a superAdmin can manage admins.</p>
      </main>
    );
  }
  return <SessionContext.Provider value={{ backend: producer, admin, user, signOut: leave }}>{children}</SessionContext.Provider>;
}
