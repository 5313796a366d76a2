/**
 * The page's side of the automation protocol (see automator.ts): what a
 * `miniprogram-automator` script asks of DevTools, answered by the preview's runtime. Pages
 * are named by their place in the stack, elements by ids handed out here; a selector is
 * resolved by the page's own component tree (j-component's querySelector: ids and the
 * template's class names, as in DevTools).
 */
interface ExparserNode {
  $$?: HTMLElement;
  shadowRoot?: { childNodes?: ExparserNode[] };
  childNodes?: ExparserNode[];
}
interface Wrapper {
  dom: HTMLElement | undefined;
  _exparserNode: ExparserNode;
  instance?: Record<string, unknown> & { data?: Record<string, unknown> };
  querySelector(selector: string): Wrapper | undefined;
  querySelectorAll(selector: string): Wrapper[];
}
interface PageEntry {
  route: string;
  query: Record<string, string>;
  rendered: Wrapper & { instance: Record<string, unknown> & { data: Record<string, unknown>; setData(d: object): void } };
}
export interface Runtime {
  stack(): PageEntry[];
  wx: Record<string, unknown>;
  tap(target: Element): void;
}

type Params = Record<string, unknown>;

/** An element's DOM: its own, or — for a component without a host element (tdesign's) — its first rendered one. */
function firstDom(node: ExparserNode): HTMLElement | undefined {
  if (node.$$) return node.$$;
  for (const child of [...(node.shadowRoot?.childNodes ?? []), ...(node.childNodes ?? [])]) {
    const dom = firstDom(child);
    if (dom) return dom;
  }
  return undefined;
}
const domOf = (wrapper: Wrapper): HTMLElement => {
  const dom = wrapper.dom ?? firstDom(wrapper._exparserNode);
  if (!dom) throw new Error('the element has nothing on screen');
  return dom;
};

export function speakAutomatorProtocol(runtime: Runtime, url: string): void {
  const socket = new WebSocket(url);
  const elements = new Map<string, Wrapper>();
  const pageIds = new WeakMap<object, number>();
  let nextPage = 1;
  let nextElement = 1;
  const originals = new Map<string, unknown>();

  const pageId = (p: PageEntry) => {
    if (!pageIds.has(p.rendered)) pageIds.set(p.rendered, nextPage++);
    return pageIds.get(p.rendered) as number;
  };
  const describe = (p: PageEntry) => ({ pageId: pageId(p), path: p.route, query: p.query });
  const pageOf = (params: Params) => {
    const page = runtime.stack().find((p) => pageId(p) === params['pageId']) ?? runtime.stack().at(-1);
    if (!page) throw new Error('no page is open');
    return page;
  };
  const remember = (wrapper: Wrapper) => {
    const elementId = String(nextElement++);
    elements.set(elementId, wrapper);
    return { elementId, tagName: domOf(wrapper).tagName.toLowerCase().replace(/^wx-/, '') };
  };
  const elementOf = (params: Params) => {
    const element = elements.get(String(params['elementId']));
    if (!element) throw new Error(`no element ${String(params['elementId'])}`);
    return element;
  };
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value ?? null)) as unknown;
  // The protocol sends functions as source, to run in the page, as DevTools runs them.
  const run = (declaration: unknown, args: unknown) =>
    (new Function(`return (${String(declaration)})`)() as (...a: unknown[]) => unknown)(...((args as unknown[]) ?? []));

  const methods: Record<string, (params: Params) => unknown> = {
    'Tool.getInfo': () => ({ SDKVersion: 'dev' }),
    'Tool.close': () => ({}),
    'App.exit': () => ({}),
    'App.enableLog': () => ({}),
    'App.getCurrentPage': () => {
      const top = runtime.stack().at(-1);
      if (!top) throw new Error('no page is open');
      return describe(top);
    },
    'App.getPageStack': () => ({ pageStack: runtime.stack().map(describe) }),
    'App.callWxMethod': async (p) => {
      const fn = runtime.wx[String(p['method'])];
      if (typeof fn !== 'function') throw new Error(`wx.${String(p['method'])} does not exist`);
      return { result: plain(await fn(...((p['args'] as unknown[]) ?? []))) };
    },
    'App.mockWxMethod': (p) => {
      const name = String(p['method']);
      if (!originals.has(name)) originals.set(name, runtime.wx[name]);
      if ('functionDeclaration' in p)
        runtime.wx[name] = (...args: unknown[]) => run(p['functionDeclaration'], [...args, ...((p['args'] as unknown[]) ?? [])]);
      else if ('result' in p) runtime.wx[name] = () => p['result'];
      else runtime.wx[name] = originals.get(name);
      return {};
    },
    'App.callFunction': async (p) => ({ result: plain(await run(p['functionDeclaration'], p['args'])) }),
    'Page.getData': (p) => {
      const data = pageOf(p).rendered.instance.data;
      return {
        data: plain(
          p['path']
            ? String(p['path'])
                .split('.')
                .reduce<unknown>((v, k) => (v as Params | undefined)?.[k], data)
            : data,
        ),
      };
    },
    'Page.setData': (p) => {
      pageOf(p).rendered.instance.setData(p['data'] as object);
      return {};
    },
    'Page.callMethod': async (p) => {
      const instance = pageOf(p).rendered.instance;
      const fn = instance[String(p['method'])];
      if (typeof fn !== 'function') throw new Error(`the page has no method ${String(p['method'])}`);
      return { result: plain(await fn.apply(instance, (p['args'] as unknown[]) ?? [])) };
    },
    'Page.getElement': (p) => {
      const found = pageOf(p).rendered.querySelector(String(p['selector']));
      if (!found) throw new Error(`no element ${String(p['selector'])}`);
      return remember(found);
    },
    'Page.getElements': (p) => ({ elements: pageOf(p).rendered.querySelectorAll(String(p['selector'])).map(remember) }),
    'Page.getWindowProperties': (p) => ({
      properties: ((p['names'] as string[]) ?? []).map((name) => name.split('.').reduce<unknown>((v, k) => (v as Params)?.[k], window)),
    }),
    'Element.getElement': (p) => {
      const found = elementOf(p).querySelector(String(p['selector']));
      if (!found) throw new Error(`no element ${String(p['selector'])}`);
      return remember(found);
    },
    'Element.getElements': (p) => ({ elements: elementOf(p).querySelectorAll(String(p['selector'])).map(remember) }),
    'Element.tap': (p) => {
      runtime.tap(domOf(elementOf(p)));
      return {};
    },
    'Element.getDOMProperties': (p) => ({
      properties: ((p['names'] as string[]) ?? []).map((name) => plain((domOf(elementOf(p)) as unknown as Params)[name])),
    }),
    'Element.getProperties': (p) => ({
      properties: ((p['names'] as string[]) ?? []).map((name) => {
        const dom = domOf(elementOf(p));
        const field = dom.querySelector('.pv-field') as HTMLInputElement | null;
        return plain(name === 'value' && field ? field.value : (dom as unknown as Params)[name]);
      }),
    }),
    'Element.getAttributes': (p) => ({
      attributes: ((p['names'] as string[]) ?? []).map((name) => domOf(elementOf(p)).getAttribute(name)),
    }),
    'Element.getWXML': (p) => ({ wxml: p['type'] === 'outer' ? domOf(elementOf(p)).outerHTML : domOf(elementOf(p)).innerHTML }),
    'Element.getData': (p) => ({ data: plain(elementOf(p).instance?.data) }),
    'Element.callFunction': (p) => {
      // `input.input` / `textarea.input`: type into the field, as a person would.
      const field = domOf(elementOf(p)).querySelector('.pv-field') as HTMLInputElement | null;
      if (!field || !/\.input$/.test(String(p['functionName'])))
        throw new Error(`${String(p['functionName'])} is not supported by the preview`);
      field.value = String((p['args'] as unknown[])?.[0] ?? '');
      field.dispatchEvent(new Event('input'));
      field.dispatchEvent(new Event('change'));
      return { result: null };
    },
  };

  socket.addEventListener('message', (event) => {
    const { id, method, params } = JSON.parse(String(event.data)) as { id: string; method: string; params?: Params };
    const handler = methods[method];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`${method} is not supported by the preview`);
        return handler(params ?? {});
      })
      .then(
        (result) => socket.send(JSON.stringify({ id, result: result ?? {} })),
        (err: unknown) => socket.send(JSON.stringify({ id, error: { message: (err as Error).message ?? String(err) } })),
      );
  });
}
