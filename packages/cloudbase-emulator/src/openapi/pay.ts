import { randomBytes } from 'node:crypto';
import type { VersionedDatabase } from '../db/database';
import type { Doc } from '../db/ejson';

/**
 * A stand-in for WeChat Pay as cloud functions reach it (`cloud.cloudPay.*`, action
 * `wx.wxPayApi`: snake_case JSON in, snake_case JSON out), with the payer's side driven
 * from the gateway: pay, fail or cancel a prepared order, and have the result callback
 * delivered now, twice, or held back until asked for. Callbacks are delivered to the
 * function named at `unifiedOrder`/`refund` with no caller identity, as the platform
 * does, and redelivered until the function acknowledges with `{ errcode: 0 }`.
 */

type Json = Record<string, unknown>;

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

export interface Payment {
  _id: string;
  openid: string | null;
  body: string;
  totalFee: number;
  functionName: string;
  subMchId: string;
  state: TradeState;
  prepayId: string;
  transactionId: string | null;
  paidAt: Date | null;
  createdAt: Date;
  /** `time_expire`: WeChat Pay refuses to take the money after it. */
  expiresAt: Date | null;
}

interface Refund {
  _id: string;
  outTradeNo: string;
  totalFee: number;
  refundFee: number;
  functionName: string | null;
  refundId: string;
  at: Date;
}

/** A result callback not yet acknowledged by its function. */
interface Callback {
  _id: string;
  functionName: string;
  event: Json;
  /** `held` until /_emu/pay/deliver (a late notification), else due now. */
  held: boolean;
  attempts: number;
}

export type PayOutcome = 'success' | 'fail' | 'cancel';
export type Delivery = 'now' | 'twice' | 'held';

const PAYMENTS = 'emu_payments';
const REFUNDS = 'emu_refunds';
const CALLBACKS = 'emu_pay_callbacks';
export const PAY_COLLECTIONS = [PAYMENTS, REFUNDS, CALLBACKS];

const ok = (fields: Json): Json => ({ return_code: 'SUCCESS', return_msg: 'OK', result_code: 'SUCCESS', ...fields });
const fail = (errCode: string, description: string): Json => ({
  return_code: 'SUCCESS',
  return_msg: 'OK',
  result_code: 'FAIL',
  err_code: errCode,
  err_code_des: description,
});
const token = (bytes = 8) => randomBytes(bytes).toString('hex');
const text = (data: Json, key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
const fen = (data: Json, key: string) => (Number.isInteger(data[key]) && (data[key] as number) > 0 ? (data[key] as number) : null);
/** `yyyyMMddHHmmss`, Beijing time, as WeChat Pay writes `time_end`. */
const timeEnd = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
/** A `yyyyMMddHHmmss` Beijing time (`time_expire`) as an instant, or null when it is not one. */
function beijingTime(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  const at = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`) : null;
  return at && !Number.isNaN(at.getTime()) && timeEnd(at) === text ? at : null;
}

export class WxPay {
  /** Set to make the next refunds fail with SYSTEMERROR (a refund the merchant must retry). */
  failRefunds = 0;

  constructor(
    private readonly db: VersionedDatabase,
    private readonly now: () => Date,
    private readonly deliver: (functionName: string, event: Json) => Promise<unknown>,
  ) {}

  /** One `cloud.cloudPay.<api>` call from a function whose caller is `openid` (if any). */
  handle(api: string, data: Json, openid: string | null): Json {
    switch (api) {
      case 'unifiedOrder':
        return this.unifiedOrder(data, openid);
      case 'queryOrder':
        return this.queryOrder(data);
      case 'closeOrder':
        return this.closeOrder(data);
      case 'refund':
        return this.refund(data);
      case 'queryRefund':
        return this.queryRefund(data);
      default:
        return { code: 'INVALID_ACTION', message: `cloudPay.${api} is not emulated` };
    }
  }

  private unifiedOrder(data: Json, openid: string | null): Json {
    const outTradeNo = text(data, 'out_trade_no');
    const totalFee = fen(data, 'total_fee');
    const functionName = text(data, 'function_name');
    if (!/^[A-Za-z0-9_*|-]{1,32}$/.test(outTradeNo) || totalFee === null || !text(data, 'body') || !functionName)
      return fail('PARAM_ERROR', 'out_trade_no, body, total_fee (positive integer fen) and function_name are required');
    const expiresAt = text(data, 'time_expire') ? beijingTime(text(data, 'time_expire')) : null;
    if (text(data, 'time_expire') && (!expiresAt || expiresAt <= this.now()))
      return fail('PARAM_ERROR', 'time_expire 格式错误或已过期 (yyyyMMddHHmmss)');
    const existing = this.payment(outTradeNo);
    if (existing) {
      if (existing.totalFee !== totalFee || existing.state !== 'NOTPAY') return fail('INVALID_REQUEST', '201 商户订单号重复');
      return ok({ prepay_id: existing.prepayId, payment: this.paymentParams(existing.prepayId) });
    }
    const payment: Payment = {
      _id: outTradeNo,
      openid,
      body: text(data, 'body'),
      totalFee,
      functionName,
      subMchId: text(data, 'sub_mch_id'),
      state: 'NOTPAY',
      prepayId: `wx${token(14)}`,
      transactionId: null,
      paidAt: null,
      createdAt: this.now(),
      expiresAt,
    };
    this.save(PAYMENTS, payment);
    return ok({ trade_type: 'JSAPI', prepay_id: payment.prepayId, payment: this.paymentParams(payment.prepayId) });
  }

  /** What `wx.requestPayment` takes. */
  private paymentParams(prepayId: string): Json {
    return {
      appId: 'wx-local-app',
      timeStamp: String(Math.floor(this.now().getTime() / 1000)),
      nonceStr: token(),
      package: `prepay_id=${prepayId}`,
      signType: 'MD5',
      paySign: token(16).toUpperCase(),
    };
  }

  private queryOrder(data: Json): Json {
    const payment = this.payment(text(data, 'out_trade_no'));
    if (!payment) return fail('ORDERNOTEXIST', '此交易订单号不存在');
    return ok({
      out_trade_no: payment._id,
      trade_state: payment.state,
      total_fee: payment.totalFee,
      transaction_id: payment.transactionId ?? '',
      time_end: payment.paidAt ? timeEnd(payment.paidAt) : '',
    });
  }

  private closeOrder(data: Json): Json {
    const payment = this.payment(text(data, 'out_trade_no'));
    if (!payment) return fail('ORDERNOTEXIST', '此交易订单号不存在');
    if (payment.state === 'SUCCESS' || payment.state === 'REFUND') return fail('ORDERPAID', '订单已支付');
    this.save(PAYMENTS, { ...payment, state: 'CLOSED' });
    return ok({});
  }

  private refund(data: Json): Json {
    const payment = this.payment(text(data, 'out_trade_no'));
    const outRefundNo = text(data, 'out_refund_no');
    const refundFee = fen(data, 'refund_fee');
    if (!payment) return fail('ORDERNOTEXIST', '此交易订单号不存在');
    if (!/^[A-Za-z0-9_*|@-]{1,64}$/.test(outRefundNo) || refundFee === null)
      return fail('PARAM_ERROR', 'out_refund_no and refund_fee are required');
    const earlier = this.db.store.get(REFUNDS, outRefundNo) as unknown as Refund | undefined;
    if (earlier) return ok({ out_refund_no: earlier._id, refund_id: earlier.refundId, refund_fee: earlier.refundFee });
    if (payment.state !== 'SUCCESS' && payment.state !== 'REFUND') return fail('TRADE_STATE_ERROR', '订单状态错误');
    if (fen(data, 'total_fee') !== payment.totalFee || refundFee > payment.totalFee) return fail('INVALID_REQUEST', '退款金额错误');
    if (this.failRefunds > 0) {
      this.failRefunds--;
      return fail('SYSTEMERROR', '系统超时，请用相同参数再次调用');
    }
    const refund: Refund = {
      _id: outRefundNo,
      outTradeNo: payment._id,
      totalFee: payment.totalFee,
      refundFee,
      functionName: text(data, 'function_name') || null,
      refundId: `50${token(12)}`,
      at: this.now(),
    };
    this.save(REFUNDS, refund);
    this.save(PAYMENTS, { ...payment, state: 'REFUND' });
    if (refund.functionName) {
      const id = this.queue(refund.functionName, {
        returnCode: 'SUCCESS',
        outTradeNo: payment._id,
        outRefundNo,
        refundId: refund.refundId,
        totalFee: payment.totalFee,
        refundFee,
        settlementRefundFee: refundFee,
        refundStatus: 'SUCCESS',
        successTime: timeEnd(refund.at),
        subMchId: payment.subMchId,
      });
      // The refund's result comes a moment after the reply, as WeChat's does.
      this.soon(id);
    }
    return ok({ out_trade_no: payment._id, out_refund_no: outRefundNo, refund_id: refund.refundId, refund_fee: refundFee });
  }

  /**
   * `queryRefund` by `out_refund_no`, `out_trade_no` or `refund_id`: the order's refunds as
   * the cloud reply lists them (`*_list` arrays, which the SDK turns into `outRefundNoList`…),
   * or `REFUNDNOTEXIST`.
   */
  private queryRefund(data: Json): Json {
    const all = this.db.store.all(REFUNDS) as unknown as Refund[];
    const byNumber = all.find((r) => r._id === text(data, 'out_refund_no') || r.refundId === text(data, 'refund_id'));
    const outTradeNo = byNumber?.outTradeNo ?? text(data, 'out_trade_no');
    const payment = this.payment(outTradeNo);
    const refunds = byNumber ? [byNumber] : all.filter((r) => r.outTradeNo === outTradeNo);
    if (!payment || refunds.length === 0) return fail('REFUNDNOTEXIST', '退款订单查询失败');
    return ok({
      out_trade_no: payment._id,
      transaction_id: payment.transactionId ?? '',
      total_fee: payment.totalFee,
      cash_fee: payment.totalFee,
      refund_count: refunds.length,
      out_refund_no_list: refunds.map((r) => r._id),
      refund_id_list: refunds.map((r) => r.refundId),
      refund_fee_list: refunds.map((r) => r.refundFee),
      settlement_refund_fee_list: refunds.map((r) => r.refundFee),
      // This stand-in refunds at once: every refund it knows has succeeded.
      refund_status_list: refunds.map(() => 'SUCCESS'),
      refund_success_time_list: refunds.map((r) => timeEnd(new Date(r.at))),
    });
  }

  /**
   * The payer's side of `wx.requestPayment` for a prepared order: `success` takes the
   * money and notifies the order's function (now, twice at once, or held for later);
   * `fail` and `cancel` leave it unpaid. Answers what `wx.requestPayment` would.
   */
  async pay(outTradeNo: string, outcome: PayOutcome, delivery: Delivery): Promise<{ errMsg: string } | null> {
    const payment = this.payment(outTradeNo);
    if (!payment) return null;
    if (outcome === 'cancel') return { errMsg: 'requestPayment:fail cancel' };
    if (outcome === 'fail' || payment.state === 'CLOSED') return { errMsg: 'requestPayment:fail' };
    if (payment.state === 'SUCCESS' || payment.state === 'REFUND') return { errMsg: 'requestPayment:fail 订单已支付' };
    if (payment.expiresAt && this.now() >= new Date(payment.expiresAt)) return { errMsg: 'requestPayment:fail 订单已过期' };
    const paid: Payment = { ...payment, state: 'SUCCESS', transactionId: `42${token(13)}`, paidAt: this.now() };
    this.save(PAYMENTS, paid);
    const event = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: paid._id,
      transactionId: paid.transactionId,
      totalFee: paid.totalFee,
      cashFee: paid.totalFee,
      feeType: 'CNY',
      tradeType: 'JSAPI',
      timeEnd: timeEnd(paid.paidAt as Date),
      subMchId: paid.subMchId,
      subOpenid: paid.openid ?? '',
      openid: paid.openid ?? '',
    };
    const id = this.queue(paid.functionName, event, delivery === 'held');
    if (delivery === 'twice') await Promise.all([this.deliverOne(id), this.deliverOne(id)]);
    else if (delivery === 'now') await this.deliverOne(id);
    return { errMsg: 'requestPayment:ok' };
  }

  /** Waits for notifications on their way (before the emulator stops). */
  async settle(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  /** Delivers every notification not yet acknowledged (held ones included): WeChat's retries. */
  async deliverPending(): Promise<number> {
    await this.settle();
    const pending = this.db.store.all(CALLBACKS) as unknown as Callback[];
    for (const callback of pending) await this.deliverOne(callback._id);
    return pending.length;
  }

  payments(): Payment[] {
    return this.db.store.all(PAYMENTS) as unknown as Payment[];
  }

  private readonly inFlight = new Set<Promise<void>>();

  /** Delivers a notification after the current reply has gone out. */
  private soon(id: string): void {
    const delivery = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.deliverOne(id));
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private queue(functionName: string, event: Json, held = false): string {
    const callback: Callback = { _id: token(), functionName, event, held, attempts: 0 };
    this.save(CALLBACKS, callback);
    return callback._id;
  }

  /**
   * One delivery; an acknowledged callback is done. Two deliveries started together both
   * go out (each reads the callback before either is acknowledged): a doubled notification.
   */
  private async deliverOne(id: string): Promise<void> {
    const callback = this.db.store.get(CALLBACKS, id) as unknown as Callback | undefined;
    if (!callback) return;
    this.save(CALLBACKS, { ...callback, attempts: callback.attempts + 1, held: false });
    const reply = (await this.deliver(callback.functionName, callback.event)) as { errcode?: unknown } | null;
    if (reply?.errcode === 0 && this.db.store.get(CALLBACKS, id)) this.db.apply([{ collection: CALLBACKS, id, doc: null, mode: 'put' }]);
  }

  private payment(outTradeNo: string): Payment | undefined {
    return this.db.store.get(PAYMENTS, outTradeNo) as unknown as Payment | undefined;
  }

  private save<T extends { _id: string }>(collection: string, doc: T): void {
    this.db.apply([{ collection, id: doc._id, doc: doc as unknown as Doc, mode: 'put' }]);
  }
}
