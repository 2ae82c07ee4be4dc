/**
 * Delay before retry number `attempt` (1 = first retry): exponential from
 * baseMs, capped, with jitter in [50%, 100%] of the step so many events failing
 * together (an API outage) do not all retry in the same instant.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random, baseMs = 1_000, capMs = 10 * 60_000): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step * (0.5 + 0.5 * random()));
}
