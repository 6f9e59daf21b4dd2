// Prisma CLI configuration (Prisma 7 keeps the connection URL out of schema.prisma).
// The CLI is only used for `prisma generate` here; migrations are applied by lib/db/migrate.ts.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/quartermaster" },
});
