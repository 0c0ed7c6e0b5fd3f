-- Values typed into a notebook's inputs form, kept apart from the YAML.
CREATE TABLE "NotebookInputValues" (
    "notebookId" TEXT NOT NULL,
    "values" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "NotebookInputValues_pkey" PRIMARY KEY ("notebookId"),
    CONSTRAINT "NotebookInputValues_notebookId_fkey" FOREIGN KEY ("notebookId") REFERENCES "Notebook"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- A notebook's shown name when it is not its flow id (duplicates are "<name> (copy)").
ALTER TABLE "Notebook" ADD COLUMN "name" TEXT;

-- The Schedule trigger and date an execution ran as.
ALTER TABLE "Execution" ADD COLUMN "triggerId" TEXT;
ALTER TABLE "Execution" ADD COLUMN "triggerDate" TIMESTAMP(3);
