// After a bulk load: VACUUM sets the visibility map (index-only scans on follows need it)
// and ANALYZE gives the planner real statistics, so the first benchmark query is planned
// as every later one; a checkpoint keeps the load's dirty pages out of the measurements.
import type postgres from "postgres";
import type { Progress } from "./progress";
import { ident } from "./schema";

export async function vacuumAnalyze(sql: postgres.Sql, tables: string[], progress: Progress): Promise<void> {
  await progress.step("vacuum, analyze", tables.length * 100, async (step) => {
    for (const [i, table] of tables.entries()) {
      step.note(table);
      const poll = setInterval(() => {
        void sql<Array<{ pct: number }>>`
          select case when heap_blks_total > 0 then 100.0 * heap_blks_scanned / heap_blks_total else 0 end::float8 as pct
          from pg_stat_progress_vacuum where relid = ${table}::regclass`.then(
          (rows) => rows[0] && step.set(i * 100 + rows[0].pct),
          () => {},
        );
      }, 500);
      try {
        await sql.unsafe(`vacuum (analyze) ${ident(table)}`);
      } finally {
        clearInterval(poll);
      }
      step.set((i + 1) * 100);
    }
    // Needs superuser or pg_checkpoint; without it the world is as good, only the first
    // measurements may share the disk with a checkpoint.
    await sql`checkpoint`.catch((error: unknown) => step.note(`no checkpoint: ${error instanceof Error ? error.message : String(error)}`));
  });
}
