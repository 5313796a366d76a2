/** The part of WeChat's component framework (bundled with j-component) the preview drives. */
declare module 'miniprogram-exparser' {
  const exparser: {
    /** Fires `name` on an element (a DOM node's `__wxElement`): its bound handlers run with `detail`. */
    triggerEvent(element: unknown, name: string, detail: unknown): void;
  };
  export default exparser;
}
