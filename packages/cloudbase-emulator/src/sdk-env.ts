/**
 * The environment that points the unmodified wx-server-sdk / @cloudbase/node-sdk at the
 * emulator (measured; see README.md): the service URL, `TENCENTCLOUD_RUNENV=SCF`
 * (else a metadata probe costs ~50 ms per call), dummy keys (else node-sdk crashes the
 * process), and `WX_CONTEXT_KEYS` naming every context variable node-sdk should read.
 */
export function sdkEnvironment(adminUrl: string, envId = 'local-env'): Record<string, string> {
  return {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: adminUrl }),
    TENCENTCLOUD_RUNENV: 'SCF',
    SCF_NAMESPACE: envId,
    TCB_ENV: envId,
    TENCENTCLOUD_REGION: 'ap-shanghai',
    TENCENTCLOUD_SECRETID: 'local-dummy-id',
    TENCENTCLOUD_SECRETKEY: 'local-dummy-key',
    TENCENTCLOUD_SESSIONTOKEN: 'local-dummy-token',
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_API_TOKEN',
  };
}
