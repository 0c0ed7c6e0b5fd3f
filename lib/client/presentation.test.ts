import { describe, expect, it } from 'vitest';
import { presentationCommand, stepSlide } from './presentation';

describe('presentation keys', () => {
  it('maps the keys a presenter uses', () => {
    expect(['ArrowRight', ' ', 'ArrowLeft', 'Enter', 'Escape', 'a'].map(presentationCommand)).toEqual(['next', 'next', 'prev', 'run', 'exit', undefined]);
  });

  it('stays within the deck', () => {
    expect(stepSlide(0, 5, 'prev')).toBe(0);
    expect(stepSlide(0, 5, 'next')).toBe(1);
    expect(stepSlide(4, 5, 'next')).toBe(4);
    expect(stepSlide(3, 5, 'prev')).toBe(2);
    expect(stepSlide(0, 0, 'next')).toBe(0);
  });
});
