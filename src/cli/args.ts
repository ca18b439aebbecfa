// The one command-line parser of every subcommand (node:util parseArgs behind a wrapper that words its
// errors), and small, strict parsers for option values. Every rejection names the option and the bad
// value, because a CI log is often the only place a user sees it.
import { parseArgs } from 'node:util';
import { UsageError } from './io';

/** An option of a subcommand: a flag, or an option that takes a value (`--name VALUE` or `--name=VALUE`). */
export interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
  multiple?: boolean;
}
export type OptionSpecs = Record<string, OptionSpec>;
type OptionValue<S extends OptionSpec> = S['type'] extends 'boolean'
  ? (S['multiple'] extends true ? boolean[] : boolean)
  : (S['multiple'] extends true ? string[] : string);
export type ParsedOptions<T extends OptionSpecs> = { [K in keyof T]?: OptionValue<T[K]> };

export interface ParsedCommandLine<T extends OptionSpecs> {
  options: ParsedOptions<T>;
  positionals: string[];
}

/**
 * Parses `argv` strictly: options may come before or after the positionals, `--` ends the options, and
 * anything unknown or malformed is a UsageError worded for the user rather than node's own message.
 */
export function parseCommandLine<T extends OptionSpecs>(argv: readonly string[], specs: T): ParsedCommandLine<T> {
  try {
    const parsed = parseArgs({ args: [...argv], options: specs, allowPositionals: true, strict: true });
    return { options: parsed.values as ParsedOptions<T>, positionals: parsed.positionals };
  } catch (err) {
    throw new UsageError(describeParseError(err, argv, specs));
  }
}

function describeParseError(err: unknown, argv: readonly string[], specs: OptionSpecs): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  // node names the option between quotes: "Unknown option '--foo'", "Option '--format <value>' argument missing".
  const named = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const option = named ?? argv.find((a) => a.startsWith('-')) ?? '?';
      const flag = option.replace(/=.*$/, '');
      return `unknown option ${flag}${flag.startsWith('--') ? '' : ` (options: ${listOptions(specs)})`}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = named ?? '?';
      const name = option.replace(/^-+/, '');
      const spec = specs[name] ?? Object.values(specs).find((s) => s.short === name);
      return spec?.type === 'boolean' ? `${option} takes no value` : `${option} needs a value`;
    }
    default:
      return message;
  }
}

function listOptions(specs: OptionSpecs): string {
  return Object.keys(specs).map((k) => `--${k}`).join(', ');
}

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
    // Repeat the value in bytes only when the user wrote it another way (128K, 0x20000).
    const given = String(value) === raw.trim() ? `'${raw}'` : `'${raw}' (${value} bytes)`;
    throw new UsageError(`${option} must be a power of two between ${min} and ${max} bytes, got ${given}`);
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
