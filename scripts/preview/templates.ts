import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * j-component renders no `<import>` / `<template is>` (its renderer drops them), and
 * tdesign draws its icons through them — a cell's chevron and left icon, a toast's check,
 * a button's icon. So the preview inlines each `<template is="name" data="{{…}}"/>` as its
 * template's body, every name the body reads taken from the data: an explicit key's
 * expression, else the spread object's field (`{tClass: x, ..._leftIcon}` → `name` reads
 * `_leftIcon.name`). Other attributes (`wx:if`) stay, on a `<block>`.
 */
const TEMPLATE = /<template\s+name="([\w-]+)"\s*>([\s\S]*?)<\/template>/g;
const KEYWORDS = new Set(['true', 'false', 'null', 'undefined', 'item', 'index']);

function templatesIn(wxml: string, into: Map<string, string>): void {
  for (const [, name, body] of wxml.matchAll(TEMPLATE)) into.set(name as string, body as string);
}

/** The data object's top-level entries: `key: expr`, `...spread`, shorthand `key`. */
function entries(data: string): { keys: Map<string, string>; spread: string | null } {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i] as string;
    if (quote) {
      if (c === quote && data[i - 1] !== '\\') quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(data.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(data.slice(start));
  const keys = new Map<string, string>();
  let spread: string | null = null;
  for (const part of parts.map((p) => p.trim()).filter(Boolean)) {
    if (part.startsWith('...')) spread = part.slice(3).trim();
    else {
      const colon = /^([\w$]+)\s*:\s*([\s\S]+)$/.exec(part);
      if (colon) keys.set(colon[1] as string, colon[2] as string);
      else keys.set(part, part);
    }
  }
  return { keys, spread };
}

/** A template body with its names read from `data`. */
function bound(body: string, data: string): string {
  const { keys, spread } = entries(data);
  const rename = (expression: string) =>
    expression.replace(/('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(\.\s*)?\b([A-Za-z_$][\w$]*)\b(\s*:)?/g, (m, str, dot, name, colon) => {
      if (str || dot || colon || KEYWORDS.has(name)) return m;
      if (keys.has(name)) return `(${keys.get(name)})`;
      return spread ? `(${spread}).${name}` : m;
    });
  return body.replace(/\{\{([\s\S]*?)\}\}/g, (_, expression: string) => `{{${rename(expression)}}}`);
}

export function inlineTemplates(wxml: string, dir: string): string {
  const templates = new Map<string, string>();
  let out = wxml.replace(/<import\s+src="([^"]+)"\s*\/?>(?:\s*<\/import>)?/g, (_, src: string) => {
    const file = resolve(dir, src.endsWith('.wxml') ? src : `${src}.wxml`);
    if (existsSync(file)) templatesIn(readFileSync(file, 'utf8'), templates);
    return '';
  });
  templatesIn(out, templates);
  out = out.replace(TEMPLATE, '');
  // A body may itself call a template (a button's icon): a few rounds inline those too.
  for (let round = 0; round < 3; round++) {
    const next = out.replace(/<template\s+([^>]*?)\s*\/>|<template\s+([^>]*?)>\s*<\/template>/g, (whole, a?: string, b?: string) => {
      const attrs = (a ?? b ?? '') as string;
      const is = /(?:^|\s)is="([\w-]+)"/.exec(attrs)?.[1];
      const body = is && templates.get(is);
      if (!body) return whole;
      const data = /(?:^|\s)data="\{\{([\s\S]*?)\}\}"/.exec(attrs)?.[1] ?? '';
      const rest = attrs.replace(/(?:^|\s)(is|data)="[^"]*"/g, '').trim();
      return `<block${rest ? ` ${rest}` : ''}>${bound(body, data)}</block>`;
    });
    if (next === out) break;
    out = next;
  }
  return out;
}
