/** The YAML a new, empty notebook starts from: a valid flow with one cell to edit. */
export function emptyNotebookYaml(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return [
    `id: notebook_${stamp}`,
    'namespace: flowbook.scratch',
    'description: A new notebook. Edit the cells below, then run them.',
    '',
    'tasks:',
    '  - id: hello',
    '    type: io.kestra.plugin.core.log.Log',
    '    message: Hello from Flowbook',
    '',
  ].join('\n');
}
