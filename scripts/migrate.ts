// `npm run db:migrate`: applies migrations to DATABASE_URL (from the environment or .env).
import nextEnv from "@next/env";
import { migrateDatabase } from "@/db/migrate";

nextEnv.loadEnvConfig(process.cwd());
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set. `npm start` migrates the embedded database by itself; set DATABASE_URL to migrate another one.");
  process.exit(1);
}
await migrateDatabase(url);
console.log("migrations applied");
