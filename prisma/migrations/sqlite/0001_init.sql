CREATE TABLE "Notebook" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "flowId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "description" TEXT,
    "yaml" TEXT NOT NULL,
    "originalYaml" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "sampleKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME
);
CREATE UNIQUE INDEX "Notebook_sampleKey_key" ON "Notebook"("sampleKey");
CREATE INDEX "Notebook_namespace_flowId_idx" ON "Notebook"("namespace", "flowId");

CREATE TABLE "Execution" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "notebookId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "targetTaskId" TEXT,
    "labels" TEXT NOT NULL DEFAULT '{}',
    "inputs" TEXT NOT NULL DEFAULT '{}',
    "flowYaml" TEXT NOT NULL,
    "cellHashes" TEXT NOT NULL DEFAULT '{}',
    "startDate" DATETIME NOT NULL,
    "endDate" DATETIME,
    "error" TEXT,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Execution_notebookId_fkey" FOREIGN KEY ("notebookId") REFERENCES "Notebook" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "Execution_notebookId_startDate_idx" ON "Execution"("notebookId", "startDate");

CREATE TABLE "TaskRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "executionId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "ord" INTEGER NOT NULL DEFAULT 0,
    "parentTaskRunId" TEXT,
    "value" TEXT,
    "iteration" INTEGER,
    "state" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "startDate" DATETIME,
    "endDate" DATETIME,
    "outputs" TEXT,
    "details" TEXT,
    "error" TEXT,
    "sourceHash" TEXT,
    "contextHash" TEXT,
    CONSTRAINT "TaskRun_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "TaskRun_executionId_idx" ON "TaskRun"("executionId");
CREATE INDEX "TaskRun_taskId_idx" ON "TaskRun"("taskId");

CREATE TABLE "LogLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "executionId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "taskRunId" TEXT,
    "taskId" TEXT,
    "level" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "LogLine_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "LogLine_executionId_seq_key" ON "LogLine"("executionId", "seq");

CREATE TABLE "Secret" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "ciphertext" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
