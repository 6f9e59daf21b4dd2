/**
 * `npm run db:migrate`: apply pending migrations to DATABASE_URL with the project's runner (the
 * same one `npm start` uses), recording them in Prisma's `_prisma_migrations` table.
 */
import { EnvError, parseMigrationSettings, processEnvironment } from "../lib/env";
import { applyMigrations } from "../lib/db/migrate";

async function main(): Promise<number> {
  let databaseUrl: string;
  try {
    databaseUrl = parseMigrationSettings(processEnvironment()).DATABASE_URL;
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(`${err.message}\n(e.g. DATABASE_URL=postgresql://user:password@host:5432/quartermaster)`);
      return 1;
    }
    throw err;
  }
  try {
    const { applied, alreadyApplied } = await applyMigrations({ connectionString: databaseUrl, log: (m) => console.log(`[migrate] ${m}`) });
    console.log(`[migrate] done: ${applied.length} applied, ${alreadyApplied.length} already applied`);
    return 0;
  } catch (err) {
    console.error(`[migrate] ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

process.exitCode = await main();
