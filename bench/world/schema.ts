// The generator's dealings with the app's schema: bulk loads run with the secondary
// indexes and foreign keys set aside (each one read back from the catalogue, so what is
// put back is exactly what the migrations made, and a fingerprint check proves it), and a
// half-built world is wiped and migrated afresh.
import type postgres from "postgres";
import { migrateDatabase } from "../../db/migrate";
import type { Progress } from "./progress";

/** Tables the generator owns; everything else in `public` belongs to the app. */
export const BENCH_TABLE_PREFIX = "bench_world";

export interface DeferredDdl {
  indexes: Array<{ table: string; name: string; def: string }>;
  foreignKeys: Array<{ table: string; name: string; def: string }>;
}

/** Every index and constraint of the app's tables, as Postgres itself prints them. */
export async function schemaFingerprint(sql: postgres.Sql): Promise<string> {
  const rows = await sql<Array<{ line: string }>>`
    select 'index ' || pg_get_indexdef(i.indexrelid) as line
    from pg_index i join pg_class c on c.oid = i.indrelid
    where c.relnamespace = 'public'::regnamespace and c.relname not like ${BENCH_TABLE_PREFIX + "%"}
    union all
    select 'constraint ' || k.conrelid::regclass::text || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
    from pg_constraint k join pg_class c on c.oid = k.conrelid
    where c.relnamespace = 'public'::regnamespace and c.relname not like ${BENCH_TABLE_PREFIX + "%"}
    order by 1`;
  return rows.map((r) => r.line).join("\n");
}

/** Drops the secondary indexes of `tables` and the foreign keys defined on them; returns how to put them back. */
export async function deferIndexesAndForeignKeys(sql: postgres.Sql, tables: string[]): Promise<DeferredDdl> {
  const indexes = await sql<DeferredDdl["indexes"]>`
    select c.relname as table, ic.relname as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i join pg_class c on c.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
    where c.relnamespace = 'public'::regnamespace and c.relname = any(${tables})
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
    order by c.relname, ic.relname`;
  const foreignKeys = await sql<DeferredDdl["foreignKeys"]>`
    select c.relname as table, k.conname as name, pg_get_constraintdef(k.oid) as def
    from pg_constraint k join pg_class c on c.oid = k.conrelid
    where k.contype = 'f' and c.relnamespace = 'public'::regnamespace and c.relname = any(${tables})
    order by c.relname, k.conname`;
  for (const fk of foreignKeys) await sql.unsafe(`alter table ${ident(fk.table)} drop constraint ${ident(fk.name)}`);
  for (const index of indexes) await sql.unsafe(`drop index ${ident(index.name)}`);
  return { indexes: [...indexes], foreignKeys: [...foreignKeys] };
}

/** Rebuilds what deferIndexesAndForeignKeys dropped, two index builds at a time. */
export async function restoreIndexesAndForeignKeys(sql: postgres.Sql, ddl: DeferredDdl, progress: Progress): Promise<void> {
  await progress.step(`indexes (${ddl.indexes.length})`, ddl.indexes.length * 100, async (step) => {
    let finished = 0;
    let next = 0;
    const poll = setInterval(() => {
      void indexBuildProgress(sql).then((partial) => step.set(finished * 100 + partial), () => {});
    }, 500);
    try {
      await Promise.all(
        [0, 1].map(async () => {
          while (next < ddl.indexes.length) {
            const index = ddl.indexes[next++]!;
            await sql.unsafe(index.def);
            finished += 1;
            step.note(`${finished}/${ddl.indexes.length} ${index.name}`);
          }
        }),
      );
    } finally {
      clearInterval(poll);
    }
  });
  // Adding a foreign key checks every row in one anti-join: a cheap proof the generated
  // ids all exist. Each one locks both tables, so they run one after another.
  await progress.step(`foreign keys (${ddl.foreignKeys.length})`, ddl.foreignKeys.length, async (step) => {
    for (const fk of ddl.foreignKeys) {
      step.note(fk.name);
      await sql.unsafe(`alter table ${ident(fk.table)} add constraint ${ident(fk.name)} ${fk.def}`);
      step.add(1);
    }
  });
}

/** Sum of the running CREATE INDEX builds' progress in this database, each 0–100. */
async function indexBuildProgress(sql: postgres.Sql): Promise<number> {
  const rows = await sql<Array<{ pct: number }>>`
    select case
      when phase like '%scanning table%' and blocks_total > 0 then 50.0 * blocks_done / blocks_total
      when phase like '%sorting%' then 50
      when phase like '%loading tuples%' and tuples_total > 0 then 50 + 50.0 * tuples_done / tuples_total
      else 0 end::float8 as pct
    from pg_stat_progress_create_index where datid = (select oid from pg_database where datname = current_database())`;
  return rows.reduce((sum, r) => sum + r.pct, 0);
}

/**
 * Drops every table and sequence in `public` (app and generator alike) and Drizzle's
 * journal, then applies the migrations: whatever state a crashed run left, the schema is
 * again exactly what the migrations define.
 */
export async function resetAppSchema(sql: postgres.Sql, databaseUrl: string): Promise<void> {
  const objects = await sql<Array<{ kind: string; name: string }>>`
    select case c.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view' else 'table' end as kind,
           c.relname as name
    from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'S', 'v', 'm')
    union all
    select case t.typtype when 'e' then 'type' else 'domain' end, t.typname
    from pg_type t where t.typnamespace = 'public'::regnamespace and t.typtype in ('e', 'd')`;
  // Views first (they depend on tables), types last (columns depend on them).
  for (const kind of ["view", "materialized view", "table", "sequence", "type", "domain"]) {
    const names = objects.filter((o) => o.kind === kind).map((o) => ident(o.name));
    if (names.length > 0) await sql.unsafe(`drop ${kind} if exists ${names.join(", ")} cascade`);
  }
  await sql.unsafe(`drop schema if exists drizzle cascade`);
  await migrateDatabase(databaseUrl);
}

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
