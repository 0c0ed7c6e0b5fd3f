/**
 * Prisma CLI configuration. Flowbook generates one client per provider with
 * `node prisma/generate.mjs`; this file points the plain `prisma` CLI at the SQLite schema.
 * Migrations are committed SQL under prisma/migrations/<provider>/ applied by the app at start.
 */
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/sqlite/schema.prisma',
  migrations: { path: 'prisma/migrations/sqlite' },
});
