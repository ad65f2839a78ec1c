import { defineConfig, devices } from "@playwright/test";

// Browser tests drive Debian's Chromium (no browser download) against the production
// build, started by the same launcher as `npm start`, with its own data directory.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
// Same as E2E_ADMIN in e2e/helpers.ts.
const E2E_ADMIN_EMAIL = "e2e-admin@example.test";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 2,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        },
      },
    },
  ],
  webServer: {
    command: "npx tsx scripts/start.ts",
    // The launcher prints this only after migrations ran and Inngest functions are synced.
    wait: { stdout: /Starling is running at/ },
    timeout: 240_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "pipe",
    env: {
      PORT: String(port),
      STARLING_DATA_DIR: process.env.E2E_DATA_DIR ?? ".data/e2e",
      LOCAL_POSTGRES_PORT: process.env.E2E_POSTGRES_PORT ?? "54339",
      SEED_ON_START: "0",
      // Every test registers and logs in its own users from one IP.
      RATE_LIMIT_MULTIPLIER: "100",
      // The admin tests log in as this account (e2e/helpers.ts, adminRequest).
      ADMIN_EMAILS: E2E_ADMIN_EMAIL,
    },
  },
});
