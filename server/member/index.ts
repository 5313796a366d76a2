import { calendar } from '../checkin/calendar';
import { checkin } from '../checkin/checkin';
import { makeup } from '../checkin/makeup';
import { leaderboard } from '../leaderboard/leaderboard';
import { pointsHistory } from '../points/history';
import { claimTask, tasks, track } from '../tasks/actions';
import { home } from './home';

/** Actions of the `member` function. */
export const memberActions = { home, checkin, calendar, makeup, pointsHistory, tasks, claimTask, track, leaderboard };
