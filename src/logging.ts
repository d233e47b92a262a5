// Logs are pino JSON; on a terminal (or with --log-format pretty) they go through pino-pretty.
// Both write synchronously: an asynchronous write still in flight at process.exit lands after
// the exit's own flush, so the shutdown's lines came out of order, or not at all.
import { destination, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from './config.ts';

export type LoggerOptions = false | { level: LogLevel; stream?: DestinationStream };

/** `auto` decided against the stream the logs go to. */
export function resolveLogFormat(format: LogFormat, stdoutIsTty: boolean): 'json' | 'pretty' {
  if (format === 'auto') return stdoutIsTty ? 'pretty' : 'json';
  return format;
}

export function loggerOptions(level: LogLevel, format: 'json' | 'pretty' = 'json'): LoggerOptions {
  if (level === 'silent') return false;
  if (format === 'json') return { level, stream: destination({ dest: 1, sync: true }) };
  return { level, stream: pretty({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) };
}
