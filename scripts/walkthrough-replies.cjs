// The reader of scripts/walkthrough.sh: one process for a whole walk-through session. Each
// line asks one question, tab-separated — what, the reply (JSON), its arguments — and gets
// one line back: `ok<TAB>answer`, or what is wrong.
const { createInterface } = require('node:readline');

/** Where paths start: the reply's data, or the reply itself when it has none. */
const rootOf = (reply) => (reply !== null && typeof reply === 'object' && 'data' in reply ? reply.data : reply);

/** The value at a dotted path; a key may itself hold dots (the timer's `stats.tier.warn`). */
function dig(value, path) {
  const keys = path.split('.');
  let at = value;
  while (keys.length) {
    const n = [...keys.keys()].reverse().find((i) => at !== null && at !== undefined && keys.slice(0, i + 1).join('.') in Object(at));
    if (n === undefined) return undefined;
    at = at[keys.slice(0, n + 1).join('.')];
    keys.splice(0, n + 1);
  }
  return at;
}

const shown = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

/** `path=value`, `path>=n`, `path<=n` of the reply, or why not. */
function failedClaim(reply, claim) {
  const [, path, op, want] = claim.match(/^([^<>=]+)(>=|<=|=)(.*)$/s) ?? [];
  if (!path) return `not a claim: ${claim}`;
  const got = dig(rootOf(reply), path);
  const holds = op === '=' ? shown(got) === want : op === '>=' ? got >= Number(want) : got <= Number(want);
  return holds ? null : `${path}=${shown(got)}, not ${claim}`;
}

const questions = {
  check(reply, claims) {
    if (reply?.ok === false && !claims.some((c) => c.startsWith('code='))) return `an error reply: ${reply.code}`;
    for (const claim of claims) {
      const wrong = failedClaim(reply, claim);
      if (wrong) return wrong;
    }
    return { answer: '' };
  },
  field(reply, [path]) {
    const value = dig(rootOf(reply), path);
    return value === undefined ? `no ${path} in the reply` : { answer: shown(value) };
  },
  beijing(reply, [path]) {
    const at = new Date(Date.parse(dig(reply, path)) + 8 * 3600_000);
    return Number.isNaN(at.getTime()) ? `no time at ${path}` : { answer: `北京时间 ${at.toISOString().slice(0, 16).replace('T', ' ')}` };
  },
};

createInterface({ input: process.stdin }).on('line', (line) => {
  const [question, text, ...args] = line.split('\t').filter((part, i) => i < 2 || part !== '');
  let outcome;
  try {
    outcome = questions[question](JSON.parse(text), args);
  } catch (err) {
    outcome = `${err.message} (reply: ${text})`;
  }
  process.stdout.write(typeof outcome === 'string' ? `${outcome.replace(/\n/g, ' ')}\n` : `ok\t${outcome.answer.replace(/\n/g, ' ')}\n`);
});
