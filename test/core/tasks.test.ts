import assert from 'node:assert/strict';
import type { TaskDefinition } from '../../core/tasks/definition';
import { checkinTaskCount, checkinWindowStart } from '../../core/tasks/period';

const task = (fields: Partial<TaskDefinition>): TaskDefinition => ({
  _id: 't',
  version: 1,
  title: '签到',
  description: '',
  kind: 'daily',
  trigger: 'checkin',
  target: 3,
  reward: { type: 'points', points: 5 },
  order: 1,
  difficulty: 'easy',
  enabled: true,
  ...fields,
});

// Newest first, as recentCheckinDays returns them.
const DAYS = ['2026-03-12', '2026-03-11', '2026-03-09', '2026-03-08', '2026-03-01', '2026-02-20'];
const TODAY = '2026-03-12'; // a Thursday

describe('check-in task progress', () => {
  it('a daily task sees today only, a weekly one the days since Monday', () => {
    assert.equal(checkinTaskCount(task({ kind: 'daily', target: 1 }), DAYS, TODAY, '2026-01-01'), 1);
    assert.equal(checkinWindowStart(task({ kind: 'weekly' }), TODAY, '2026-01-01'), '2026-03-09');
    assert.equal(checkinTaskCount(task({ kind: 'weekly', target: 7 }), DAYS, TODAY, '2026-01-01'), 3);
  });

  it('a once task counts from its start or the member’s registration, whichever is later, capped at the target', () => {
    assert.equal(checkinTaskCount(task({ kind: 'once', target: 100 }), DAYS, TODAY, '2026-01-01'), 6);
    assert.equal(checkinTaskCount(task({ kind: 'once', target: 100, activeFrom: '2026-03-02' }), DAYS, TODAY, '2026-01-01'), 4);
    assert.equal(checkinTaskCount(task({ kind: 'once', target: 100 }), DAYS, TODAY, '2026-03-05'), 4);
    assert.equal(checkinTaskCount(task({ kind: 'once', target: 2 }), DAYS, TODAY, '2026-01-01'), 2);
  });

  it('a newbie task counts from registration; days after today never count', () => {
    assert.equal(checkinTaskCount(task({ kind: 'newbie', target: 10 }), DAYS, '2026-03-09', '2026-03-08'), 2);
  });
});
