import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { connection } from 'next/server';
import './globals.css';
import { Providers } from './providers';

export const metadata: Metadata = {
  title: 'Flowbook',
  description: 'A notebook-style workbench for Kestra flows',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Render per request: the CSP nonce is per request, and a prerendered page would carry none.
  await connection();
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
