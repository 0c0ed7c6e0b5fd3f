'use client';
/** The notebook's "Kestra" menu: deploy this flow, run it on a server, export its namespace. */
import * as Menu from '@radix-ui/react-dropdown-menu';
import { useState } from 'react';
import type { NotebookDto } from '@/lib/contract';
import { Button } from '@/components/ui/Button';
import { DeployDialog } from './DeployDialog';
import { RunOnKestraDialog } from './RunOnKestraDialog';
import { ExportNamespaceDialog } from './ExportNamespaceDialog';

const item = 'cursor-pointer rounded px-3 py-1.5 text-[13px] outline-none data-[highlighted]:bg-black/5 dark:data-[highlighted]:bg-white/10 data-[disabled]:opacity-50';

export function KestraMenu({ notebook }: { notebook: NotebookDto }) {
  const [open, setOpen] = useState<'deploy' | 'run' | 'export' | null>(null);
  const valid = notebook.flow !== undefined;
  return (
    <>
      <Menu.Root>
        <Menu.Trigger asChild>
          <Button title="Deploy to a Kestra server, run there, or export in Kestra's git layout">☁ Kestra ▾</Button>
        </Menu.Trigger>
        <Menu.Portal>
          <Menu.Content align="end" sideOffset={4} className="surface z-50 min-w-52 rounded-lg border p-1 shadow-lg">
            <Menu.Item className={item} disabled={!valid} onSelect={() => setOpen('deploy')}>
              Deploy to Kestra…
            </Menu.Item>
            <Menu.Item className={item} disabled={!valid} onSelect={() => setOpen('run')}>
              Run on Kestra…
            </Menu.Item>
            <Menu.Item className={item} disabled={!valid} onSelect={() => setOpen('export')}>
              Export namespace…
            </Menu.Item>
          </Menu.Content>
        </Menu.Portal>
      </Menu.Root>
      {valid && (
        <>
          <DeployDialog open={open === 'deploy'} onOpenChange={(o) => setOpen(o ? 'deploy' : null)} notebook={notebook} />
          <RunOnKestraDialog open={open === 'run'} onOpenChange={(o) => setOpen(o ? 'run' : null)} notebook={notebook} />
          <ExportNamespaceDialog key={notebook.flow?.namespace} open={open === 'export'} onOpenChange={(o) => setOpen(o ? 'export' : null)} namespace={notebook.flow?.namespace ?? ''} />
        </>
      )}
    </>
  );
}
