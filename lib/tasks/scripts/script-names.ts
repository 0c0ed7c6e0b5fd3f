/** How a script task names the file its inline script is written to, and quotes it for the shell. */

export function scriptFileName(taskId: string, extension: 'py' | 'js'): string {
  return `_flowbook_${taskId.replace(/[^\w-]/g, '_')}.${extension}`;
}

export function shellQuote(value: string): string {
  return /^[\w@%+=:,./<>~^-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
