/** The limits one run works with: the request's settings first, the FLOWBOOK_* settings for the rest. */
import { runnerLimitsFromEnv, type RunnerLimits } from '../config/runner-limits';
import type { RunnerSettings } from './types';

export function limitsOf(settings: Pick<RunnerSettings, 'limits'>): RunnerLimits {
  return { ...runnerLimitsFromEnv(), ...settings.limits };
}
