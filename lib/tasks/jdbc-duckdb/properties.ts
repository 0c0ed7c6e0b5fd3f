/** Properties both DuckDB tasks accept, with a description per field for the notebook. */
import * as z from 'zod';
import { dynamic } from '../schema';
import { queryProperties } from '../jdbc-common/query-properties';

export const duckDbProperties = {
  ...queryProperties,
  url: z.string().optional().describe('jdbc:duckdb: (default) is a fresh database file in the working directory; jdbc:duckdb:/path/file.db keeps a database between runs.'),
  inputFiles: z
    .union([z.record(z.string(), z.string()), z.string()])
    .optional()
    .describe('Files placed in the working directory first: name → content, or name → kestra:// URI. Read them in SQL as {{workingDir}}/name.'),
  outputFiles: z.array(z.string()).optional().describe('File names the SQL writes to ({{outputFiles.name}}); each is uploaded to outputs.<id>.outputFiles.name.'),
  outputDbFile: dynamic(z.boolean()).optional().describe('Upload the database file afterwards (outputs.<id>.databaseUri).'),
  databaseUri: z.string().optional().describe('A kestra:// URI of a DuckDB file to start from.'),
  communityExtensions: z.array(z.string()).optional().describe('DuckDB community extensions Kestra installs before the SQL. Flowbook loads none: INSTALL them in the SQL instead.'),
  username: z.string().optional(),
  password: z.string().optional(),
};
