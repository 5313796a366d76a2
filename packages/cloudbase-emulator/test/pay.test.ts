import assert from 'node:assert/strict';
import type { Emulator } from '../src';
import { callFunction, startEmulator } from './helpers';

/**
 * The WeChat Pay stand-in through the unmodified wx-server-sdk: `cloud.cloudPay.*` from a
 * function, the payer's payment from the gateway, result notifications to the function.
 */
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ poolSize: 2 });
  emulator.store.ensureCollection('probe_pay');
});
afterAll(() => emulator.close());

type Reply = Record<string, unknown> & { resultCode?: string; errCodeDes?: string };
const cloudPay = async (api: string, params: Record<string, unknown>) =>
  (await callFunction<Reply>(emulator, 'probe', { do: 'pay', api, params }, 'o-payer')).body;
const order = (outTradeNo: string, totalFee = 990) =>
  cloudPay('unifiedOrder', {
    body: '测试商品',
    outTradeNo,
    totalFee,
    spbillCreateIp: '127.0.0.1',
    subMchId: '1900000109',
    envId: 'local-env',
    functionName: 'probe',
  });
const gatewayPay = async (outTradeNo: string, outcome = 'success', delivery = 'now') => {
  const res = await fetch(`${emulator.url}/_emu/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outTradeNo, outcome, delivery }),
  });
  return { status: res.status, body: (await res.json()) as { errMsg?: string } };
};
const notifications = (outTradeNo: string) =>
  emulator.store.all('probe_pay').filter((d) => (d['event'] as Record<string, unknown>)?.['outTradeNo'] === outTradeNo);

describe('WeChat Pay stand-in', () => {
  it('unifiedOrder answers what wx.requestPayment takes; paying notifies the function once, without a caller identity', async () => {
    const prepared = await order('T-now-1');
    assert.equal(prepared.resultCode, 'SUCCESS');
    const payment = prepared['payment'] as Record<string, string>;
    assert.match(payment['package'] ?? '', /^prepay_id=wx/);
    assert.ok(payment['timeStamp'] && payment['nonceStr'] && payment['paySign']);
    assert.deepEqual((await gatewayPay('T-now-1')).body, { errMsg: 'requestPayment:ok' });
    const got = notifications('T-now-1');
    assert.equal(got.length, 1);
    const event = got[0]?.['event'] as Record<string, unknown>;
    assert.deepEqual([event['resultCode'], event['totalFee'], event['subOpenid']], ['SUCCESS', 990, 'o-payer']);
    assert.match(String(event['transactionId']), /^42/);
    assert.equal(got[0]?.['openid'], null, 'a notification carries no WXContext identity');
    assert.equal((await cloudPay('queryOrder', { outTradeNo: 'T-now-1', subMchId: '1900000109' }))['tradeState'], 'SUCCESS');
    assert.equal((await gatewayPay('T-now-1')).body.errMsg, 'requestPayment:fail 订单已支付');
  });

  it('delivers a notification twice, or holds it until asked, and redelivers until acknowledged', async () => {
    await order('T-twice');
    await gatewayPay('T-twice', 'success', 'twice');
    assert.equal(notifications('T-twice').length, 2);
    await order('T-late');
    await gatewayPay('T-late', 'success', 'held');
    assert.equal(notifications('T-late').length, 0);
    emulator.database.apply([{ collection: 'probe_pay', id: 'refuse', doc: { _id: 'refuse', refuse: true }, mode: 'put' }]);
    await fetch(`${emulator.url}/_emu/pay/deliver`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    assert.equal(notifications('T-late').length, 1);
    emulator.database.apply([{ collection: 'probe_pay', id: 'refuse', doc: null, mode: 'put' }]);
    await fetch(`${emulator.url}/_emu/pay/deliver`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    await fetch(`${emulator.url}/_emu/pay/deliver`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    assert.equal(notifications('T-late').length, 2, 'redelivered once more, then acknowledged');
  });

  it('failed and cancelled payments leave the order unpaid; closeOrder closes it, or says ORDERPAID', async () => {
    await order('T-fail');
    assert.equal((await gatewayPay('T-fail', 'cancel')).body.errMsg, 'requestPayment:fail cancel');
    assert.equal((await gatewayPay('T-fail', 'fail')).body.errMsg, 'requestPayment:fail');
    assert.equal((await cloudPay('queryOrder', { outTradeNo: 'T-fail' }))['tradeState'], 'NOTPAY');
    assert.equal((await cloudPay('closeOrder', { outTradeNo: 'T-fail' })).resultCode, 'SUCCESS');
    assert.equal((await gatewayPay('T-fail')).body.errMsg, 'requestPayment:fail');
    await order('T-paid');
    await gatewayPay('T-paid');
    const closing = await cloudPay('closeOrder', { outTradeNo: 'T-paid' });
    assert.deepEqual([closing.resultCode, closing.errCodeDes], ['FAIL', '订单已支付']);
  });

  it('refunds once per refund number, notify the refund function, and can be made to fail for a retry', async () => {
    await order('T-refund', 500);
    await gatewayPay('T-refund');
    const bad = await fetch(`${emulator.url}/_emu/pay/refunds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"fail":-1}',
    });
    assert.equal(bad.status, 400);
    const set = await fetch(`${emulator.url}/_emu/pay/refunds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"fail":1}',
    });
    assert.deepEqual(await set.json(), { failRefunds: 1 });
    const params = {
      outTradeNo: 'T-refund',
      outRefundNo: 'R-T-refund',
      totalFee: 500,
      refundFee: 500,
      functionName: 'probe',
      subMchId: '1',
    };
    assert.equal((await cloudPay('refund', params)).resultCode, 'FAIL');
    const first = await cloudPay('refund', params);
    const again = await cloudPay('refund', params);
    assert.deepEqual([first.resultCode, again['refundId']], ['SUCCESS', first['refundId']]);
    await fetch(`${emulator.url}/_emu/pay/deliver`, { method: 'POST', headers: { 'content-type': 'application/json' } }); // lets the result arrive
    const refunds = notifications('T-refund').filter((d) => (d['event'] as Record<string, unknown>)['refundStatus'] === 'SUCCESS');
    assert.equal(refunds.length, 1);
    assert.equal((await cloudPay('refund', { ...params, outRefundNo: 'R-more', refundFee: 600 })).resultCode, 'FAIL');
  });

  it('a reset forgets refunds set to fail', async () => {
    emulator.pay.failRefunds = 2;
    await fetch(`${emulator.url}/_emu/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    assert.equal(emulator.pay.failRefunds, 0);
  });

  it('queryRefund lists an order’s refunds as the cloud reply does (`outRefundNoList`…), by refund number or order', async () => {
    await order('T-query-refund', 300);
    assert.equal((await cloudPay('queryRefund', { outRefundNo: 'R-query-refund' })).errCodeDes, '退款订单查询失败', 'not yet refunded');
    await gatewayPay('T-query-refund');
    const refunded = await cloudPay('refund', {
      outTradeNo: 'T-query-refund',
      outRefundNo: 'R-query-refund',
      totalFee: 300,
      refundFee: 300,
    });
    for (const by of [{ outRefundNo: 'R-query-refund' }, { outTradeNo: 'T-query-refund' }]) {
      const reply = await cloudPay('queryRefund', by);
      assert.deepEqual(
        [
          reply.resultCode,
          reply['refundCount'],
          reply['outRefundNoList'],
          reply['refundFeeList'],
          reply['refundStatusList'],
          reply['refundIdList'],
        ],
        ['SUCCESS', 1, ['R-query-refund'], [300], ['SUCCESS'], [refunded['refundId']]],
      );
    }
  });

  it('timeExpire (yyyyMMddHHmmss, Beijing): no payment after it; a time already past or malformed is PARAM_ERROR', async () => {
    const inMinutes = (minutes: number) =>
      new Date(emulator.clock.now().getTime() + minutes * 60_000 + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
    const prepare = (outTradeNo: string, timeExpire: string) =>
      cloudPay('unifiedOrder', { body: '限时', outTradeNo, totalFee: 100, timeExpire, functionName: 'probe' });
    assert.equal((await prepare('T-expire-past', inMinutes(-1))).resultCode, 'FAIL');
    assert.equal((await prepare('T-expire-bad', '2026-13-40')).resultCode, 'FAIL');
    assert.equal((await prepare('T-expire', inMinutes(5))).resultCode, 'SUCCESS');
    emulator.setNow(new Date(emulator.clock.now().getTime() + 6 * 60_000));
    assert.equal((await gatewayPay('T-expire')).body.errMsg, 'requestPayment:fail 订单已过期');
    assert.equal((await cloudPay('queryOrder', { outTradeNo: 'T-expire' }))['tradeState'], 'NOTPAY');
  });

  it('refuses bad parameters and unknown orders as WeChat Pay would', async () => {
    assert.equal(
      (await cloudPay('unifiedOrder', { body: 'x', outTradeNo: 'T-bad', totalFee: 0, functionName: 'probe' })).resultCode,
      'FAIL',
    );
    assert.equal(
      (await cloudPay('unifiedOrder', { body: 'x', outTradeNo: 'T-bad', totalFee: 1.5, functionName: 'probe' })).resultCode,
      'FAIL',
    );
    assert.equal((await cloudPay('queryOrder', { outTradeNo: 'nope' })).errCodeDes, '此交易订单号不存在');
    await order('T-dup', 100);
    assert.equal((await order('T-dup', 200)).errCodeDes, '201 商户订单号重复');
    assert.equal((await gatewayPay('nope')).status, 404);
    assert.equal(
      (
        await fetch(`${emulator.url}/_emu/pay`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"outTradeNo":"T-dup","outcome":"steal"}',
        })
      ).status,
      400,
    );
  });
});
