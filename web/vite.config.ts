import { defineConfig } from "vite";

// The typed client lives beside the functions (client/); it and the pages must share one copy of the
// Firebase SDK (web/node_modules), or a Functions instance would come from another copy.
const client = new URL("../client/index.cjs", import.meta.url).pathname;

export default defineConfig({
  base: "/",
  resolve: {
    alias: { "@interactive-broadcast/client": client },
    dedupe: ["firebase", "preact"],
  },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    target: "es2022",
    // The Vonage Video web client (about 3 MB, used deployed only) and hls.js load on demand, in
    // their own chunks; the pages themselves are about 110 kB gzipped.
    chunkSizeWarningLimit: 3200,
  },
});
