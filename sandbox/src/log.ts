/**
 * A leveled logger for the sandbox. Hand-written because it is a dozen lines and must obey one rule a
 * generic logger would not enforce for us: it never receives query strings, bodies or headers, so a
 * code, token or secret cannot reach the log. Callers pass a path and a status, nothing more.
 */
import type { LogLevel } from './settings.js';

const ORDER: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const at = (wanted: LogLevel) => (message: string) => {
    if (ORDER[level] >= ORDER[wanted]) write(`[bb2-sandbox] ${wanted}: ${message}`);
  };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
