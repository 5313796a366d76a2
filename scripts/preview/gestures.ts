/**
 * Touch, fields and canvas for the preview's pages: a mouse click replayed as the touches
 * from which exparser makes `tap`; real input and date fields, and real canvases, inside
 * the bare built-in elements j-component renders (see docs/preview.md).
 */
import SelectorQuery from 'j-component/src/tool/selectorquery';
import utils from 'j-component/src/tool/utils';
import exparser from 'miniprogram-exparser';
import { privacy } from './privacy';
import { rpxToPx } from './rpx';

/** A touch at a point of `target` (the mini-program's tap is touchstart → touchend there). */
function touch(target: Element, type: 'touchstart' | 'touchend', x: number, y: number): void {
  const t = new Touch({ identifier: 1, target, pageX: x, pageY: y, clientX: x, clientY: y });
  const init = type === 'touchstart' ? { touches: [t], changedTouches: [t] } : { touches: [], changedTouches: [t] };
  target.dispatchEvent(new TouchEvent(type, { ...init, bubbles: true, cancelable: true, composed: true }));
}

/** A tap on an element, at its centre, on what a finger there would touch. */
export function tap(element: Element): void {
  const box = element.getBoundingClientRect();
  const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
  const target = document.elementFromPoint(x, y);
  const on = target && element.contains(target) ? target : element;
  touch(on, 'touchstart', x, y);
  touch(on, 'touchend', x, y);
}

/**
 * A desktop browser has a mouse; the mini-program's tap comes from touch events (j-component
 * makes `tap` from touchstart → touchend). A click inside the screen is replayed as a touch.
 */
export function touchesFromMouse(screen: HTMLElement): void {
  screen.addEventListener('mousedown', (e) => touch(e.target as Element, 'touchstart', e.clientX, e.clientY));
  screen.addEventListener('mouseup', (e) => touch(e.target as Element, 'touchend', e.clientX, e.clientY));
}

/** The page's handler for a field's event, as the platform calls it (`bindinput`, `bindchange`). */
function fieldEvent(field: Element, name: string, detail: Record<string, unknown>): void {
  const element = (field as Element & { __wxElement?: unknown }).__wxElement;
  if (element) exparser.triggerEvent(element, name, detail);
}

/**
 * Real fields inside the bare `wx-input` / `wx-textarea` / `wx-picker` elements, kept in
 * step with the attributes the template mirrored (`data-pv-*`): typing fires the page's
 * `input` handler, leaving the field `change` and `blur`; a date picker is a date field
 * that fires `change` with `YYYY-MM-DD`.
 */
export function nativeFields(screen: HTMLElement): void {
  const sync = (host: Element) => {
    const isPicker = host.tagName === 'WX-PICKER';
    let field = host.querySelector(':scope > input.pv-field, :scope > textarea.pv-field') as HTMLInputElement | null;
    if (!field) {
      field = document.createElement(host.tagName === 'WX-TEXTAREA' ? 'textarea' : 'input') as HTMLInputElement;
      field.className = 'pv-field';
      if (isPicker) {
        field.type = 'date';
        field.addEventListener('change', () => fieldEvent(host, 'change', { value: field?.value ?? '' }));
        // The field is invisible over the picker's content: a click anywhere on it opens the chooser.
        field.addEventListener('click', () => field?.showPicker?.());
        host.appendChild(field);
      } else {
        field.addEventListener('input', () => fieldEvent(host, 'input', { value: field?.value ?? '', cursor: field?.selectionStart ?? 0 }));
        field.addEventListener('change', () => fieldEvent(host, 'change', { value: field?.value ?? '' }));
        field.addEventListener('blur', () => fieldEvent(host, 'blur', { value: field?.value ?? '' }));
        host.appendChild(field);
      }
    }
    const attr = (name: string) => host.getAttribute(`data-pv-${name}`);
    if (isPicker) {
      if (attr('start')) field.min = attr('start') as string;
      if (attr('end')) field.max = attr('end') as string;
      return;
    }
    field.placeholder = attr('placeholder') ?? '';
    const type = attr('type');
    // A textarea has no settable type; an input's follows the mini-program's.
    if (field instanceof HTMLInputElement)
      field.type = type === 'number' || type === 'digit' ? 'text' : type === 'password' ? 'password' : 'text';
    if (type === 'number' || type === 'digit') field.inputMode = type === 'digit' ? 'decimal' : 'numeric';
    // `maxlength="-1"` is the mini-program's "no limit".
    if (attr('maxlength') && Number(attr('maxlength')) >= 0) field.maxLength = Number(attr('maxlength'));
    const value = attr('value');
    if (value !== null && document.activeElement !== field && field.value !== value) field.value = value;
  };
  const upgrade = () => {
    for (const host of screen.querySelectorAll('wx-input, wx-textarea, wx-picker')) sync(host);
    for (const host of screen.querySelectorAll('wx-image')) picture(host);
    for (const host of screen.querySelectorAll('wx-button[data-pv-open-type="chooseAvatar"]')) avatarChooser(host);
    for (const host of screen.querySelectorAll('wx-button[data-pv-open-type="agreePrivacyAuthorization"]')) agreeButton(host);
  };
  new MutationObserver(upgrade).observe(screen, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-pv-value', 'data-pv-placeholder', 'data-pv-src'],
  });
}

/**
 * Inline `style="width: {{n}}rpx"` as the platform draws it: j-component makes `Nrpx`
 * `Npx`; on a phone 750rpx is the screen's width, as the served stylesheets have it.
 */
export function inlineRpx(screen: HTMLElement): void {
  utils.transformRpx = (style) => rpxToPx(style, screen.clientWidth);
}

/** `<image mode>` as CSS `object-fit` (widthFix keeps the width and lets the height follow). */
const FITS: Record<string, string> = {
  aspectFill: 'cover',
  aspectFit: 'contain',
  scaleToFill: 'fill',
  widthFix: 'cover',
  heightFix: 'cover',
};

/**
 * `open-type="chooseAvatar"`: WeChat offers the member's avatar, an album photo or the
 * camera; the preview offers the computer's files (images). The page's `chooseavatar`
 * handler gets `avatarUrl`, a local path `wx.cloud.uploadFile` reads, as on a phone.
 */
function avatarChooser(host: Element): void {
  if (host.hasAttribute('data-pv-chooser')) return;
  host.setAttribute('data-pv-chooser', '');
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = 'image/png,image/jpeg,image/webp';
  input.hidden = true;
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) fieldEvent(host, 'chooseavatar', { avatarUrl: URL.createObjectURL(file) });
    input.value = '';
  });
  host.appendChild(input);
  // WeChat asks for the privacy agreement before the chooser opens (a refusal opens nothing).
  host.addEventListener('click', () => {
    if (privacy.agreed()) return input.click();
    privacy.require('chooseAvatar').then(
      () => input.click(),
      () => undefined,
    );
  });
}

/** `open-type="agreePrivacyAuthorization"`: the tap is the member's agreement, then the page's handler runs. */
function agreeButton(host: Element): void {
  if (host.hasAttribute('data-pv-agree')) return;
  host.setAttribute('data-pv-agree', '');
  host.addEventListener('click', () => {
    privacy.agree();
    fieldEvent(host, 'agreeprivacyauthorization', {});
  });
}

/** Temporary URLs of `cloud://` pictures, asked once each as the member (`wx.cloud.getTempFileURL`, under the storage rules). */
const cloudUrls = new Map<string, Promise<string>>();
function cloudUrl(fileID: string): Promise<string> {
  let url = cloudUrls.get(fileID);
  if (!url) {
    const cloud = (window as unknown as { wx: { cloud: { getTempFileURL(o: { fileList: string[] }): Promise<unknown> } } }).wx.cloud;
    url = cloud
      .getTempFileURL({ fileList: [fileID] })
      .then((r) => (r as { fileList: { tempFileURL: string }[] }).fileList[0]?.tempFileURL ?? '');
    cloudUrls.set(fileID, url);
  }
  return url;
}

/** A real picture inside a bare `wx-image`, from its mirrored `src` (a `cloud://` fileID works, as on a phone) and `mode`. */
function picture(host: Element): void {
  let img = host.querySelector(':scope > img') as HTMLImageElement | null;
  if (!img) {
    img = document.createElement('img');
    img.alt = host.getAttribute('aria-label') ?? '';
    host.appendChild(img);
  }
  const src = host.getAttribute('data-pv-src') ?? '';
  img.style.objectFit = FITS[host.getAttribute('data-pv-mode') ?? ''] ?? 'fill';
  if (img.dataset['for'] === src) return;
  img.dataset['for'] = src;
  if (!src.startsWith('cloud://')) return void img.setAttribute('src', src);
  const shown = img;
  void cloudUrl(src).then((url) => {
    if (shown.dataset['for'] === src) shown.setAttribute('src', url);
  });
}

/**
 * `<canvas type="2d">`: a selector query's `node` field answers with a real canvas inside
 * the bare `wx-canvas` element — the browser's 2D context is the API the mini-program's
 * canvas 2D follows (tdesign's t-qrcode draws the till codes with it).
 */
export function canvasNodes(): void {
  const exec = SelectorQuery.prototype.exec;
  SelectorQuery.prototype.exec = function (this: SelectorQuery, callback) {
    const queue = [...this._queue];
    return exec.call(this, (res) => {
      queue.forEach((query, i) => {
        const host =
          query.fields?.node && query.exparserNode ? query.exparserNode.shadowRoot?.querySelector(query.selector)?.$$ : undefined;
        const item = res[i];
        if (host && item) item['node'] = canvasIn(host);
      });
      callback?.(res);
    });
  };
}

function canvasIn(host: HTMLElement): HTMLCanvasElement {
  let canvas = host.querySelector(':scope > canvas') as HTMLCanvasElement | null;
  if (!canvas) {
    canvas = document.createElement('canvas');
    canvas.style.width = '100%';
    canvas.style.height = '100%';
    canvas.style.display = 'block';
    host.appendChild(canvas);
  }
  return canvas;
}
