import type { Credentials } from './credentials';

/**
 * The environment that points the unmodified wx-server-sdk / @cloudbase/node-sdk at the
 * emulator (measured; see README.md): the service URL, `TENCENTCLOUD_RUNENV=SCF`
 * (else a metadata probe costs ~50 ms per call), the emulator's key pair (the SDKs sign
 * every request with it; the emulator refuses what is not signed), and `WX_CONTEXT_KEYS`
 * naming every context variable node-sdk should read.
 */
export function sdkEnvironment(adminUrl: string, envId: string, credentials: Credentials): Record<string, string> {
  return {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: adminUrl }),
    TENCENTCLOUD_RUNENV: 'SCF',
    SCF_NAMESPACE: envId,
    TCB_ENV: envId,
    TENCENTCLOUD_REGION: 'ap-shanghai',
    TENCENTCLOUD_SECRETID: credentials.secretId,
    TENCENTCLOUD_SECRETKEY: credentials.secretKey,
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_API_TOKEN',
  };
}
