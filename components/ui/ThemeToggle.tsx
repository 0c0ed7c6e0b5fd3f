'use client';
import { useTheme } from '@/lib/client/theme';
import { Button } from './Button';

export function ThemeToggle() {
  const [theme, toggle] = useTheme();
  return (
    <Button variant="ghost" onClick={toggle} aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'} title="Toggle theme">
      {theme === 'dark' ? '☀' : '☾'}
    </Button>
  );
}
