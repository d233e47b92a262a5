// Logs are pino JSON; on a terminal (or with --log-format pretty) they go through pino-pretty,
// in-process and synchronously, so the last lines before an exit are never lost.
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from './config.ts';

export type LoggerOptions = false | { level: LogLevel; stream?: NodeJS.WritableStream };

/** `auto` decided against the stream the logs go to. */
export function resolveLogFormat(format: LogFormat, stdoutIsTty: boolean): 'json' | 'pretty' {
  if (format === 'auto') return stdoutIsTty ? 'pretty' : 'json';
  return format;
}

export function loggerOptions(level: LogLevel, format: 'json' | 'pretty' = 'json'): LoggerOptions {
  if (level === 'silent') return false;
  if (format === 'json') return { level };
  return { level, stream: pretty({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) };
}
