import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    // A file's first getApp() (usually in beforeAll) loads the bot's modules on demand; on a shared machine that takes a while.
    hookTimeout: 30_000,
    // One in-memory Azurite for the whole run: inject("tablesConnection") / RESOLVE_TABLES_CONNECTION.
    globalSetup: ["test/setup/azurite.globalSetup.ts"],
  },
});
