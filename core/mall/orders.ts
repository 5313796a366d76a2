import type { OrderStatus } from '../../typings/vocabulary';

/** Where a fulfilment order may go next; done and cancelled are final. */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['shipped', 'pickedUp', 'cancelled'],
  shipped: ['done', 'cancelled'],
  pickedUp: ['done'],
  done: [],
  cancelled: [],
};

export function canMoveOrder(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}
