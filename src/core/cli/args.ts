// Small, strict parsers for option values. Every rejection names the option and the bad value,
// because a CI log is often the only place a user sees it.
import { UsageError } from './io';

const SUFFIXES: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A byte count: `131072`, `128K`, `128KiB`, `4M`, `0x20000`. */
export function parseBytes(option: string, raw: string): number {
  const m = /^\s*(0x[0-9a-f]+|\d+)\s*([kmg]?)(?:i?b)?\s*$/i.exec(raw);
  const value = m ? Number(m[1]) * SUFFIXES[m[2]!.toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new UsageError(`${option} expects a positive number of bytes (e.g. 131072 or 128K), got '${raw}'`);
  }
  return value;
}

/** A power-of-two byte count within [min, max], as ZFS recordsize and page sizes are. */
export function parsePowerOfTwoBytes(option: string, raw: string, min: number, max: number): number {
  const value = parseBytes(option, raw);
  if ((value & (value - 1)) !== 0 || value < min || value > max) {
    throw new UsageError(`${option} must be a power of two between ${min} and ${max} bytes, got '${raw}' (${value})`);
  }
  return value;
}

export function parsePositiveInt(option: string, raw: string, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${option} expects a whole number from 1 to ${max}, got '${raw}'`);
  }
  return value;
}

export function parseChoice<T extends string>(option: string, raw: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`${option} must be one of ${choices.join(', ')}, got '${raw}'`);
}

/** A positive duration in seconds, decimals allowed: `5`, `0.5`. */
export function parseSeconds(option: string, raw: string, max = 3600): number {
  const value = /^\s*\d+(?:\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new UsageError(`${option} expects a number of seconds above 0 and at most ${max}, got '${raw}'`);
  }
  return value;
}
