/** Domain rows of the auth area: each triggers one documented code through the real callable. */
import { authFor } from "../harness";
import { seedEvent } from "../fixtures";
import { admin, callAs, limited, type Row } from "./support";

export const rows: Row[] = [
  {
    fn: "login",
    code: "permission-denied",
    how: "a signed-in account that is no registered admin",
    run: () => callAs("login", authFor("stranger", {}, "password"), {}),
  },
  { fn: "login", code: "resource-exhausted", how: "a second call over a limit of 1 a minute", run: () => limited("login", {}, admin) },
  ...(["loginFan", "loginHost", "loginCelebrity"] as const).flatMap((fn): Row[] => {
    const slugOf = (event: { fanUrl: string; hostUrl: string; celebrityUrl: string }) =>
      fn === "loginFan" ? event.fanUrl : fn === "loginHost" ? event.hostUrl : event.celebrityUrl;
    return [
      {
        fn,
        code: "not-found",
        how: "an unknown link",
        run: () => callAs(fn, undefined, { adminId: "adm1", slug: fn === "loginFan" ? "no-such-show" : "x".repeat(24) }),
      },
      {
        fn,
        code: "failed-precondition",
        how: "a closed show",
        run: async () => callAs(fn, undefined, { adminId: "adm1", slug: slugOf(await seedEvent("adm1", { status: "closed" })) }),
      },
      {
        fn,
        code: "resource-exhausted",
        how: "a second call over a limit of 1 a minute",
        run: async () => limited(fn, { adminId: "adm1", slug: slugOf(await seedEvent("adm1", { status: "preshow" })) }, undefined),
      },
    ];
  }),
];
