import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { refuseForeign } from 'cloudbase-emulator';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * The preview speaks the part of WeChat DevTools' automation protocol that
 * `miniprogram-automator` scripts use: a script connects to `ws://…/automator` (as it
 * would to DevTools' port), and each of its requests (`{id, method, params}`) is carried
 * to the preview page open in a browser, which connected to `/automator-bridge` and
 * answers (`{id, result}` or `{id, error}`) — the page is where the mini-program runs.
 * Events the page sends (no `id`: logs, exceptions) go to every script.
 * Both sockets take the preview's own page (its Origin) and scripts (no Origin) only: any
 * other site could otherwise run code in the open preview or take the page's place.
 */
export function serveAutomator(server: Server, port: number): void {
  const scripts = new WebSocketServer({ noServer: true });
  const bridges = new WebSocketServer({ noServer: true });
  let page: WebSocket | null = null;
  const waiting: string[] = [];

  bridges.on('connection', (socket) => {
    page = socket;
    for (const message of waiting.splice(0)) socket.send(message);
    socket.on('message', (data) => {
      for (const client of scripts.clients) client.send(data.toString());
    });
    socket.on('close', () => {
      if (page === socket) page = null;
    });
  });
  scripts.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = data.toString();
      // A script may connect before the page has: its first requests wait for it.
      if (page) page.send(message);
      else waiting.push(message);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://preview').pathname;
    const target = path === '/automator' ? scripts : path === '/automator-bridge' ? bridges : null;
    if (!target) return void socket.destroy();
    try {
      refuseForeign(req, port);
    } catch {
      return void socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
    target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req));
  });
}
