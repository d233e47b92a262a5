// What the start-up banner says about the control plane, the clock and --strict (docs/testing.md).
import type { Config } from '../../config.ts';

export function controlBanner(config: Pick<Config, 'control' | 'controlToken' | 'clock' | 'clockStart' | 'strict'>, url: string): string[] {
  const lines: string[] = [];
  if (config.control) {
    const who = config.controlToken ? 'Authorization: Bearer <--control-token> required' : 'loopback clients only';
    lines.push(`control plane:    ${url}/_serverchat/  (ON: ${who}; see docs/testing.md)`);
  }
  if (config.clock === 'manual') {
    const at = config.clockStart === null ? 'the time at start' : new Date(config.clockStart).toISOString();
    lines.push(`clock:            manual, from ${at}; it moves only with POST ${url}/_serverchat/clock/advance`);
  }
  if (config.strict) lines.push('strict:           ON: requests that deviate from the spec are answered 400');
  return lines;
}
