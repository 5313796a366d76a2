import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './local-cloud';

/**
 * Compiles every .wxml and .wxss of a mini-program with WeChat's own compilers (the Linux
 * wcc/wcsc shipped in miniprogram-compiler), one file at a time so an error names its
 * file. Returns the errors; an empty list means DevTools will accept the templates.
 */
const BIN = join(ROOT, 'node_modules', 'miniprogram-compiler', 'bin', 'linux');

function filesOf(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.isDirectory()) return d.name === 'miniprogram_npm' || d.name === 'node_modules' ? [] : filesOf(join(dir, d.name), ext);
    return d.name.endsWith(ext) ? [join(dir, d.name)] : [];
  });
}

function run(tool: 'wcc' | 'wcsc', args: string[], cwd: string): string | undefined {
  const bin = join(BIN, tool);
  chmodSync(bin, 0o755);
  const result = spawnSync(bin, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) return result.error.message;
  return result.status === 0 ? undefined : `${result.stderr.toString()}${result.stdout.toString()}`.trim().slice(0, 500);
}

export function checkTemplates(dir = join(ROOT, 'miniprogram')): string[] {
  const errors: string[] = [];
  for (const file of filesOf(dir, '.wxml')) {
    const error = run('wcc', ['-d', '-cc', '0', relative(dir, file), '-gn', '$gwx'], dir);
    if (error) errors.push(`${relative(dir, file)}: ${error}`);
  }
  const wxss = filesOf(dir, '.wxss').map((f) => relative(dir, f));
  // Shared sheets (`@import "/styles/…"`) are given after the page's, as DevTools does.
  const shared = wxss.filter((f) => f.startsWith('styles/'));
  for (const file of wxss) {
    const error = run('wcsc', ['-db', '-pc', '1', file, ...shared.filter((f) => f !== file)], dir);
    if (error) errors.push(`${file}: ${error}`);
  }
  return errors;
}
