/** Domain rows of the admins area: each triggers one documented code through the real callable. */
import { admin, callAs, retryWhileFirstFails, superAdmin, vonageDownForPair, PAIR, type Row } from "./support";

export const rows: Row[] = [
  {
    fn: "createAdmin",
    code: "aborted",
    how: "a retry while the first call with its requestId runs and then fails (Vonage down)",
    run: () =>
      retryWhileFirstFails(
        "createAdmin",
        superAdmin,
        { displayName: "Twice", email: "twice@example.com", password: "password123", requestId: "request-twice-1", ...PAIR },
        () => vonageDownForPair(300),
        "unavailable",
      ),
  },
  {
    fn: "createAdmin",
    code: "already-exists",
    how: "an e-mail in use",
    run: () => callAs("createAdmin", superAdmin, { displayName: "Twin", email: "adm1@example.com", password: "password123" }),
  },
  {
    fn: "createAdmin",
    code: "failed-precondition",
    how: "a retry with the requestId of a call whose admin was deleted since",
    run: async () => {
      const data = { displayName: "Gone", email: "gone@example.com", password: "password123", requestId: "request-gone-1" };
      const { admin: created } = (await callAs("createAdmin", superAdmin, data)) as { admin: { id: string } };
      await callAs("deleteAdmin", superAdmin, { id: created.id });
      return callAs("createAdmin", superAdmin, data);
    },
  },
  {
    fn: "createAdmin",
    code: "unavailable",
    how: "Vonage down during the credential check",
    run: async () => {
      await vonageDownForPair();
      return callAs("createAdmin", superAdmin, { displayName: "Down", email: "down@example.com", password: "password123", ...PAIR });
    },
  },
  { fn: "deleteAdmin", code: "failed-precondition", how: "deleting oneself", run: () => callAs("deleteAdmin", superAdmin, { id: "sup1" }) },
  { fn: "getAdmin", code: "not-found", how: "an unknown admin", run: () => callAs("getAdmin", superAdmin, { id: "nobody" }) },
  {
    fn: "updateAdmin",
    code: "already-exists",
    how: "an e-mail another account has (Auth refuses it)",
    run: async ({ auth }) => {
      const updateUser = auth.updateUser.bind(auth);
      auth.updateUser = async (uid, props) => {
        if (props.email && [...auth.users.values()].some((user) => user.uid !== uid && user.email === String(props.email).toLowerCase()))
          throw Object.assign(new Error("in use"), { code: "auth/email-already-exists" });
        return updateUser(uid, props);
      };
      return callAs("updateAdmin", admin, { id: "adm1", email: "adm2@example.com" });
    },
  },
  {
    fn: "updateAdmin",
    code: "failed-precondition",
    how: "a superAdmin dropping their own flag",
    run: () => callAs("updateAdmin", superAdmin, { id: "sup1", superAdmin: false }),
  },
  {
    fn: "updateAdmin",
    code: "not-found",
    how: "an unknown admin",
    run: () => callAs("updateAdmin", superAdmin, { id: "nobody", hls: true }),
  },
  {
    fn: "updateAdmin",
    code: "unavailable",
    how: "Vonage down during the credential check",
    run: async () => {
      await vonageDownForPair();
      return callAs("updateAdmin", admin, { id: "adm1", ...PAIR });
    },
  },
];
