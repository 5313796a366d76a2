/** A reply through the gateway: HTTP status and the JSON body. */
export interface GatewayReply<T = unknown> {
  status: number;
  body: T;
}

/** POST `<url>/fn/<name>` as a mini-program user would reach the function (`openid` → WXContext). */
export async function callGateway<T = unknown>(url: string, name: string, event: unknown, openid?: string): Promise<GatewayReply<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (openid) headers['x-wx-openid'] = openid;
  const res = await fetch(`${url}/fn/${name}`, { method: 'POST', headers, body: JSON.stringify(event) });
  return { status: res.status, body: (await res.json()) as T };
}
