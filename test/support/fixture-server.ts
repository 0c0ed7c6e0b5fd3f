/**
 * A local HTTP server standing in for the internet in tests: products JSON (dummyjson),
 * a Docker Hub repository document, and gzipped monthly taxi CSVs.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { taxiCsv, type Taxi } from './taxi-csv';

export const PRODUCTS = {
  products: [
    { id: 1, title: 'Mascara', brand: 'Essence', price: 9.99, category: 'beauty' },
    { id: 2, title: 'Eyeshadow', brand: 'Glamour Beauty', price: 19.99, category: 'beauty' },
    { id: 3, title: 'Powder', brand: 'Velvet Touch', price: 14.99, category: 'beauty' },
    { id: 4, title: 'Lipstick', brand: 'Essence', price: 12.99, category: 'beauty' },
    { id: 5, title: 'Apple', price: 1.99, category: 'groceries' },
  ],
  total: 5,
  skip: 0,
  limit: 30,
};

export interface FixtureServer {
  url: string;
  /** Rows served per taxi month file. */
  rowsPerMonth: number;
  requests: string[];
  close(): Promise<void>;
}

export async function startFixtureServer(opts: { rowsPerMonth?: number } = {}): Promise<FixtureServer> {
  const rowsPerMonth = opts.rowsPerMonth ?? 50;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url.pathname);
    if (url.pathname === '/products') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(PRODUCTS));
      return;
    }
    const hub = /^\/v2\/repositories\/(.+)\/$/.exec(url.pathname);
    if (hub) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: hub[1], pull_count: 1459257 }));
      return;
    }
    const taxi = /^\/taxi\/(yellow|green)\/\1_tripdata_(\d{4}-\d{2})\.csv\.gz$/.exec(url.pathname);
    if (taxi) {
      const body = zlib.gzipSync(taxiCsv(taxi[1] as Taxi, taxi[2], rowsPerMonth));
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length });
      res.end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    rowsPerMonth,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
