-- Values typed into a notebook's inputs form, kept apart from the YAML.
CREATE TABLE "NotebookInputValues" (
    "notebookId" TEXT NOT NULL PRIMARY KEY,
    "values" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "NotebookInputValues_notebookId_fkey" FOREIGN KEY ("notebookId") REFERENCES "Notebook" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- A notebook's shown name when it is not its flow id (duplicates are "<name> (copy)").
ALTER TABLE "Notebook" ADD COLUMN "name" TEXT;

-- The Schedule trigger and date an execution ran as.
ALTER TABLE "Execution" ADD COLUMN "triggerId" TEXT;
ALTER TABLE "Execution" ADD COLUMN "triggerDate" DATETIME;
