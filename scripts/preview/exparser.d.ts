/** The part of WeChat's component framework (bundled with j-component) the preview drives. */
declare module 'miniprogram-exparser' {
  const exparser: {
    /** Fires `name` on an element (a DOM node's `__wxElement`): its bound handlers run with `detail`. */
    triggerEvent(element: unknown, name: string, detail: unknown): void;
  };
  export default exparser;
}

/** j-component's SelectorQuery (its `node` field is the preview's to answer). */
declare module 'j-component/src/tool/selectorquery' {
  interface Queued {
    selector: string;
    exparserNode: { shadowRoot?: { querySelector(selector: string): { $$?: HTMLElement } | null } } | 0 | null;
    fields?: { node?: boolean };
  }
  class SelectorQuery {
    _queue: Queued[];
    exec(callback?: (res: (Record<string, unknown> | null)[]) => void): unknown;
  }
  export default SelectorQuery;
}

/** j-component's helpers: its inline-style rpx conversion is the preview's to set. */
declare module 'j-component/src/tool/utils' {
  const utils: { transformRpx(style: string): string };
  export default utils;
}
