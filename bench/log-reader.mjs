/**
 * The log-persistence benchmark's reader, in a process of its own as a page or an API client
 * would be: it pages through an execution's stored log over HTTP while the run writes it,
 * so parsing the pages costs the reader's CPU, not the server's thread.
 *
 * stdin: the execution id on the first line, then `settled` once the run has ended.
 * stdout: one JSON line: lines read, lines of `line 1` … `line N` missing, whether the seqs
 * are gapless, and the page latencies' 95th percentile.
 */
import readline from 'node:readline';

const [port, expected, pageSize] = process.argv.slice(2).map(Number);
const input = readline.createInterface({ input: process.stdin });
const commands = input[Symbol.asyncIterator]();
const executionId = (await commands.next()).value;
let settled = false;
void commands.next().then(() => (settled = true));

const printed = new Set();
const latencies = [];
let after = 0;
let read = 0;
let gapless = true;
for (;;) {
  const finishedBefore = settled;
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/?execution=${executionId}&after=${after}&limit=${pageSize}`);
  const page = await res.json();
  latencies.push(performance.now() - started);
  for (const line of page) {
    if (line.seq !== ++read) gapless = false;
    if (line.message.startsWith('line ')) printed.add(line.message);
  }
  if (page.length > 0) after = page[page.length - 1].seq;
  if (page.length < pageSize && finishedBefore) break;
  if (page.length === 0) await new Promise((r) => setTimeout(r, 5));
}
let lost = 0;
for (let i = 1; i <= expected; i++) if (!printed.has(`line ${i}`)) lost++;
latencies.sort((a, b) => a - b);
const p95 = latencies[Math.min(latencies.length - 1, Math.floor(0.95 * latencies.length))];
process.stdout.write(`${JSON.stringify({ read, lost, gapless, pageP95Ms: p95, pages: latencies.length })}\n`);
input.close();
