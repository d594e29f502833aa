import assert from "node:assert/strict";
import { httpsUrl, imageUrl } from "./input";

describe("events/input URLs", () => {
  afterEach(() => {
    delete process.env.FUNCTIONS_EMULATOR;
    delete process.env.FIREBASE_STORAGE_EMULATOR_HOST;
  });

  const hostile = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://x.com/a.png",
    "http://x.com/a.png",
    "blob:https://x.com/1",
    "https://user:pass@x.com/a.png",
    "//x.com/a.png",
    "not a url",
  ];

  it("image URLs and links: https only; javascript:, data:, http: and credentials in the URL are refused", () => {
    for (const schema of [imageUrl, httpsUrl]) {
      for (const url of hostile) assert.equal(schema.safeParse(url).success, false, url);
      assert.equal(
        schema.safeParse("https://firebasestorage.googleapis.com/v0/b/p.appspot.com/o/eventImages%2Fa%2Fb.png?alt=media").success,
        true,
      );
    }
  });

  it("http URLs on a loopback host (the local stack's Hosting and Storage emulators) only inside the Functions emulator", () => {
    const storage = "http://127.0.0.1:9199/v0/b/demo.appspot.com/o/eventImages%2Fa%2Fb.png?alt=media";
    const hosting = "http://127.0.0.1:5002/images/show-start.svg";
    assert.equal(imageUrl.safeParse(storage).success, false, "deployed");
    assert.equal(imageUrl.safeParse(hosting).success, false, "deployed");
    process.env.FUNCTIONS_EMULATOR = "true";
    assert.equal(imageUrl.safeParse(storage).success, true);
    assert.equal(imageUrl.safeParse(hosting).success, true);
    assert.equal(imageUrl.safeParse("http://localhost:5002/a.png").success, true);
    assert.equal(imageUrl.safeParse("http://203.0.113.7/a.png").success, false, "not loopback");
    assert.equal(imageUrl.safeParse("javascript:alert(1)").success, false);
    assert.equal(httpsUrl.safeParse(storage).success, false, "links stay https");
  });
});
