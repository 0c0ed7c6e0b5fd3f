-- Course collections: ordered notebooks imported from a folder or .zip, exported back in the same layout.
CREATE TABLE "Collection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "folder" TEXT NOT NULL,
    "title" TEXT,
    "readme" TEXT,
    "manifest" TEXT,
    "sampleKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "Collection_sampleKey_key" ON "Collection"("sampleKey");

-- A notebook's collection, its place and file name there, and its notes (`<flow>.md`).
ALTER TABLE "Notebook" ADD COLUMN "collectionId" TEXT REFERENCES "Collection" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Notebook" ADD COLUMN "position" INTEGER;
ALTER TABLE "Notebook" ADD COLUMN "fileName" TEXT;
ALTER TABLE "Notebook" ADD COLUMN "notes" TEXT;
