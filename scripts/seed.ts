// `npm run seed [-- --reset]`: fills the database with the demo world. Uses DATABASE_URL
// when set; otherwise the embedded Postgres in .data (started here if no app is running).
// Refuses a database that already has users unless --reset.
import path from "node:path";
import nextEnv from "@next/env";
import { migrateDatabase } from "@/db/migrate";
import { LocalServiceError, isPortTaken } from "./local/problems";
import { startEmbeddedPostgres, type LocalPostgres } from "./local/postgres";
import { DEFAULT_EMBEDDED_PG_PORT, redactUrl } from "./local/services";
import { describeSeed, seedIfEmpty } from "./local/seed-runner";

nextEnv.loadEnvConfig(process.cwd());
const reset = process.argv.includes("--reset");

let embedded: LocalPostgres | undefined;
try {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const port = Number(process.env.LOCAL_POSTGRES_PORT) || DEFAULT_EMBEDDED_PG_PORT;
    if (await isPortTaken(port)) {
      url = `postgres://postgres:starling@127.0.0.1:${port}/starling`; // a running Starling's
    } else {
      const dataDir = path.join(path.resolve(process.env.STARLING_DATA_DIR ?? ".data"), "postgres");
      embedded = await startEmbeddedPostgres({ dataDir, port });
      url = embedded.url;
    }
  }
  await migrateDatabase(url);
  const outcome = await seedIfEmpty(url, { reset });
  if (outcome.seeded) for (const line of describeSeed(outcome)) console.log(line);
  else {
    console.error(`${redactUrl(url)} already has ${outcome.existingUsers} users: \`npm run seed -- --reset\` replaces them with the demo world.`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof LocalServiceError ? error.message : `seed failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await embedded?.stop();
}
