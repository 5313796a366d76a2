import { home } from './home';

/** Actions of the `member` function. */
export const memberActions = { home };
