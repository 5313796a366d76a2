/** A group-buying deal as an operator writes it (defaults left out): the seeded thermos cup, 3 people, 7折. */
export const CUP_GROUP_DEAL = {
  _id: 'cup-group',
  version: 1,
  itemId: 'thermos-cup',
  title: '保温杯 3人团',
  stock: 30,
  from: '2026-05-01',
  to: '2026-05-10',
  enabled: true,
};
