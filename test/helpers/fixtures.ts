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

export const CUP_BARGAIN_DEAL = {
  _id: 'cup-bargain',
  version: 1,
  itemId: 'thermos-cup',
  title: '保温杯 砍到49元',
  floorPrice: 4900,
  minCut: 500,
  maxCut: 1500,
  stock: 10,
  from: '2026-05-01',
  to: '2026-05-10',
  enabled: true,
};
