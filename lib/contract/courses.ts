/** Course collections over the wire: the home page's list, an import's outcome. */

export interface CollectionDto {
  id: string;
  /** The course's title (course.yaml, README.md's heading) or its folder name. */
  title: string;
  folder: string;
  readme?: string;
  /** Its notebooks in course order (file name order); deleted ones are left out. */
  notebookIds: string[];
  /** The notes of a notebook of the course (`<flow>.md`), by notebook id, for those that have some. */
  notes: Record<string, string>;
}

/** A file of a course left out on import: with its line and column when it is a YAML error. */
export interface CourseProblemDto {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** POST /api/collections (a .zip body, or multipart files of a folder). */
export interface CourseImportResult {
  collectionId: string;
  title: string;
  notebooks: { id: string; fileName: string }[];
  /** Namespace files written. */
  files: number;
  problems: CourseProblemDto[];
}
