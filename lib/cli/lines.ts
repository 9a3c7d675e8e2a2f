import * as fs from 'fs';
import * as path from 'path';
import { createGunzip } from 'zlib';

/** The files under `target` (a file, or a folder searched recursively), in name order. */
export function logFiles(target: string): string[] {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return [target];
  return fs.readdirSync(target, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? logFiles(path.join(target, entry.name)) : entry.name.startsWith('.') ? [] : [path.join(target, entry.name)]));
}

/**
 * Calls `onLine` for each line of the file, streaming (gzip files, as CloudWatch Logs exports
 * them to S3, are unpacked on the way). Lines are split on raw chunks rather than through
 * readline, which costs more than the JSON parsing it feeds.
 */
export async function forEachLine(file: string, onLine: (line: string) => void): Promise<void> {
  const raw = fs.createReadStream(file);
  const stream = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  stream.setEncoding('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      if (end > start) onLine(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) onLine(rest);
}
