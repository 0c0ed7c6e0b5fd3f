import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'default' | 'danger' | 'ghost';

const VARIANTS: Record<Variant, string> = {
  primary: 'bg-emerald-600 text-white border-emerald-700 hover:bg-emerald-700 disabled:bg-emerald-600/50',
  default: 'surface border hover:bg-black/5 dark:hover:bg-white/10',
  danger: 'surface border text-red-600 hover:bg-red-50 dark:hover:bg-red-950',
  ghost: 'border-transparent hover:bg-black/5 dark:hover:bg-white/10',
};

export function Button({
  variant = 'default',
  size = 'md',
  className = '',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: 'sm' | 'md' }) {
  const sizing = size === 'sm' ? 'px-2 py-0.5 text-xs' : 'px-3 py-1 text-[13px]';
  return (
    <button
      type="button"
      className={`inline-flex items-center gap-1.5 rounded-md border font-medium whitespace-nowrap transition-colors disabled:cursor-not-allowed disabled:opacity-60 ${sizing} ${VARIANTS[variant]} ${className}`}
      {...props}
    />
  );
}
