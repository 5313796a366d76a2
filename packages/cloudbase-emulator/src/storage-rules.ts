/**
 * CloudBase storage security rules (README.md, "Cloud storage"): `{ "read": …, "write": … }`,
 * each `true`, `false` or an expression over `auth` (`openid`, `loginType`; null when the
 * request has no identity) and `resource` (`openid`, the file's creator; `path`, its cloud
 * path). Expressions take `==`, `!=`, `&&`, `||`, `!`, parentheses, string and number
 * literals, `null`, and a regex literal's `.test(…)` — the subset the platform documents.
 * They bind only client requests: functions and the console always have every right.
 */
export interface StorageRules {
  read?: boolean | string;
  write?: boolean | string;
}

/** The platform's default permission: everyone reads, only a file's creator writes. */
export const DEFAULT_STORAGE_RULES: StorageRules = { read: true, write: 'resource.openid == auth.openid' };

type Value = string | number | boolean | null | Record<string, unknown>;
export interface RuleScope {
  auth: { openid: string; loginType: string } | null;
  resource: { openid: string; path: string };
}

type Token = { kind: 'op' | 'name' | 'string' | 'number' | 'regex'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const expectsValue = () => {
    const last = tokens[tokens.length - 1];
    return !last || (last.kind === 'op' && last.text !== ')');
  };
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const op = /^(==|!=|&&|\|\||[()!.,])/.exec(rest);
    const name = /^[A-Za-z_$][\w$]*/.exec(rest);
    const number = /^\d+(\.\d+)?/.exec(rest);
    const string = /^'([^'\\]|\\.)*'|^"([^"\\]|\\.)*"/.exec(rest);
    const regex = expectsValue() ? /^\/((?:[^/\\\n]|\\.)+)\/([gimsuy]*)/.exec(rest) : null;
    const token: Token | null = regex
      ? { kind: 'regex', text: regex[0] }
      : string
        ? { kind: 'string', text: string[0] }
        : op
          ? { kind: 'op', text: op[0] }
          : name
            ? { kind: 'name', text: name[0] }
            : number
              ? { kind: 'number', text: number[0] }
              : null;
    if (!token) throw new Error(`storage rule: unexpected ${JSON.stringify(rest.slice(0, 12))}`);
    tokens.push(token);
    i += token.text.length;
  }
  return tokens;
}

/** A rule expression parsed once into a function of its scope. */
export function compileRule(rule: boolean | string | undefined): (scope: RuleScope) => boolean {
  if (rule === undefined || typeof rule === 'boolean') return () => rule === true;
  const tokens = tokenize(rule);
  let at = 0;
  const peek = () => tokens[at]?.text;
  const take = (text?: string): Token => {
    const token = tokens[at];
    if (!token || (text !== undefined && token.text !== text))
      throw new Error(`storage rule ${JSON.stringify(rule)}: expected ${text ?? 'more'} at token ${at}`);
    at++;
    return token;
  };
  type Node = (scope: RuleScope) => Value;
  const binary = (next: () => Node, ops: string[], apply: (op: string, a: Node, b: Node) => Node) => (): Node => {
    let left = next();
    while (ops.includes(peek() ?? '')) {
      const op = take().text;
      left = apply(op, left, next());
    }
    return left;
  };
  const primary = (): Node => {
    const token = take();
    if (token.text === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (token.text === '!') {
      const inner = primary();
      return (s) => !inner(s);
    }
    if (token.kind === 'string') {
      const value = token.text.slice(1, -1).replace(/\\(.)/g, '$1');
      return () => value;
    }
    if (token.kind === 'number') return () => Number(token.text);
    if (token.kind === 'regex') {
      const [, body, flags] = /^\/(.*)\/([a-z]*)$/s.exec(token.text) as RegExpExecArray;
      const pattern = new RegExp(body as string, flags);
      take('.');
      take('test');
      take('(');
      const arg = or();
      take(')');
      return (s) => pattern.test(String(arg(s)));
    }
    if (token.kind === 'name') {
      if (token.text === 'true' || token.text === 'false') return () => token.text === 'true';
      if (token.text === 'null') return () => null;
      const path = [token.text];
      while (peek() === '.') {
        take('.');
        path.push(take().text);
      }
      if (path[0] !== 'auth' && path[0] !== 'resource') throw new Error(`storage rule: unknown variable ${path[0]}`);
      return (s) =>
        path.reduce<Value>((v, key) => (v && typeof v === 'object' ? ((v as Record<string, Value>)[key] ?? null) : null), s as never);
    }
    throw new Error(`storage rule ${JSON.stringify(rule)}: unexpected ${token.text}`);
  };
  const comparison = binary(primary, ['==', '!='], (op, a, b) => (s) => (a(s) === b(s)) === (op === '=='));
  const and = binary(comparison, ['&&'], (_, a, b) => (s) => Boolean(a(s)) && Boolean(b(s)));
  const or: () => Node = binary(and, ['||'], (_, a, b) => (s) => Boolean(a(s)) || Boolean(b(s)));
  const root = or();
  if (at !== tokens.length) throw new Error(`storage rule ${JSON.stringify(rule)}: unexpected ${tokens[at]?.text}`);
  return (scope) => root(scope) === true;
}
