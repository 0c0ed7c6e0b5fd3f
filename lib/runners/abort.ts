/** Why a run was aborted, read the same way by every runner. */
export function abortReason(signal: AbortSignal): 'cancel' | 'timeout' {
  const reason: unknown = signal.reason;
  // AbortSignal.timeout() gives a TimeoutError; the engine aborts a timed-out attempt with Error('timeout').
  return reason instanceof Error && (reason.name === 'TimeoutError' || reason.message === 'timeout') ? 'timeout' : 'cancel';
}
