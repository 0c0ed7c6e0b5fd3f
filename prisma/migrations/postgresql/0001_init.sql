CREATE TABLE "Notebook" (
    "id" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "description" TEXT,
    "yaml" TEXT NOT NULL,
    "originalYaml" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "sampleKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),
    CONSTRAINT "Notebook_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Notebook_sampleKey_key" ON "Notebook"("sampleKey");
CREATE INDEX "Notebook_namespace_flowId_idx" ON "Notebook"("namespace", "flowId");

CREATE TABLE "Execution" (
    "id" TEXT NOT NULL,
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
    "startDate" TIMESTAMP(3) NOT NULL,
    "endDate" TIMESTAMP(3),
    "error" TEXT,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Execution_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Execution_notebookId_fkey" FOREIGN KEY ("notebookId") REFERENCES "Notebook"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "Execution_notebookId_startDate_idx" ON "Execution"("notebookId", "startDate");

CREATE TABLE "TaskRun" (
    "id" TEXT NOT NULL,
    "executionId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "ord" INTEGER NOT NULL DEFAULT 0,
    "parentTaskRunId" TEXT,
    "value" TEXT,
    "iteration" INTEGER,
    "state" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "startDate" TIMESTAMP(3),
    "endDate" TIMESTAMP(3),
    "outputs" TEXT,
    "details" TEXT,
    "error" TEXT,
    "sourceHash" TEXT,
    "contextHash" TEXT,
    CONSTRAINT "TaskRun_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "TaskRun_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "TaskRun_executionId_idx" ON "TaskRun"("executionId");
CREATE INDEX "TaskRun_taskId_idx" ON "TaskRun"("taskId");

CREATE TABLE "LogLine" (
    "id" SERIAL NOT NULL,
    "executionId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "taskRunId" TEXT,
    "taskId" TEXT,
    "level" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "LogLine_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "LogLine_executionId_fkey" FOREIGN KEY ("executionId") REFERENCES "Execution"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "LogLine_executionId_seq_key" ON "LogLine"("executionId", "seq");

CREATE TABLE "Secret" (
    "key" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Secret_pkey" PRIMARY KEY ("key")
);

CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);
