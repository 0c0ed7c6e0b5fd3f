/** The stale badge's words: "stale: generate_output changed since this cell ran". */
export function staleBadgeText(reason: string | undefined): string {
  return reason ? `stale: ${reason}` : 'stale';
}
