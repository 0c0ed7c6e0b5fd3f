/** Share links for a class (read-only viewers of one notebook). */
export interface ShareLinkDto {
  id: string;
  notebookId: string;
  createdAt: string;
  expiresAt: string;
}

/** A link just made: `url` holds its token, shown this once. */
export interface ShareLinkCreated extends ShareLinkDto {
  url: string;
}
