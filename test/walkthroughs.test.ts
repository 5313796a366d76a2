import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from 'cloudbase-emulator';
import { ROOT } from '../scripts/local-cloud';
import { emulatorForThisFile } from './helpers/emulator';

/**
 * README's walk-throughs are its ```bash blocks that use scripts/walkthrough.sh; each one
 * that starts with `reset` begins a walk-through, a block without it goes on from the one
 * before. They run here exactly as written, as one bash session each against one emulator,
 * so a promise in README that the replies do not keep fails here.
 */
interface Block {
  line: number;
  code: string;
}

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const HELPER = /^\s*(?:source scripts\/walkthrough\.sh|call|emu|emu_get|clock|tick|pay|reset|field)\b|\$MEMBERLOOP_URL/m;

function bashBlocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((m) => ({
    line: markdown.slice(0, m.index).split('\n').length + 1,
    code: m[1] ?? '',
  }));
}

const firstCommand = (code: string) =>
  code
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('#') && !l.startsWith('source scripts/walkthrough.sh'));

function walkthroughs(blocks: Block[]): Block[][] {
  const runs: Block[][] = [];
  for (const block of blocks.filter((b) => HELPER.test(b.code))) {
    if (firstCommand(block.code)?.split(/\s/)[0] === 'reset') runs.push([block]);
    else {
      const current = runs.at(-1);
      assert.ok(current, `README line ${block.line}: the first walk-through must start with reset`);
      current.push(block);
    }
  }
  return runs;
}

/** One bash session as a reader's terminal after `source scripts/walkthrough.sh`, stopping at the first failing step. */
function runBash(script: string, url: string): Promise<{ ok: boolean; output: string }> {
  const session = `set -euo pipefail\nsource scripts/walkthrough.sh\ntrap 'echo "✗ failed: $BASH_COMMAND" >&2' ERR\n${script}`;
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', session],
      { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', MEMBERLOOP_URL: url }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ ok: !err, output: `${stdout}${stderr}` }),
    );
  });
}

describe("README's walk-throughs", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await emulatorForThisFile();
  });

  const runs = walkthroughs(bashBlocks(README));

  it('are found, and no other shell block talks to the local stack unchecked', () => {
    assert.ok(runs.length > 1, `${runs.length} walk-throughs found`);
    for (const block of bashBlocks(README).filter((b) => !HELPER.test(b.code))) {
      assert.doesNotMatch(block.code, /curl|\/_emu\/|\/fn\//, `README line ${block.line} calls the stack outside a walk-through`);
    }
  });

  it('a claim the reply does not keep stops the walk-through', async () => {
    const wrong = await runBash(`call member u1 '{"action":"home"}' tier=gold\necho unreachable`, emulator.url);
    assert.equal(wrong.ok, false);
    assert.match(wrong.output, /✗ tier="?bronze"?, not tier=gold/);
    assert.doesNotMatch(wrong.output, /unreachable/);
    const error = await runBash(`call member u1 '{"action":"makeup","day":"2020-01-01"}'`, emulator.url);
    assert.equal(error.ok, false, 'an error reply nobody expected');
  });

  for (const run of runs) {
    const title = README.split('\n')
      .slice(0, run[0]!.line - 2)
      .join('\n')
      .split(/\n\s*\n/)
      .at(-1)!
      .replace(/\s+/g, ' ')
      .slice(0, 60);
    it(`README line ${run[0]!.line}: ${title}`, async () => {
      const { ok, output } = await runBash(run.map((b) => b.code).join('\n'), emulator.url);
      assert.ok(ok, output.split('\n').slice(-12).join('\n'));
    });
  }
});
