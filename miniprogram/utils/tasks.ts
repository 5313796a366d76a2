import type { TaskView } from '../../typings/api';

/** Where a task is done, by what counts towards it ('' : shared from the page's share button). */
export const TASK_WAYS: Record<TaskView['trigger'], string> = {
  checkin: '/pages/home/index',
  browse_product: '/pages/mall/index',
  profile_completed: '/pages/profile/index',
  share: '',
  invite_registered: '',
};
const TAB_PAGES = ['/pages/home/index', '/pages/mall/index', '/pages/tasks/index'];

/** Opens the page where the task is done (a tab is switched to, anything else navigated to). */
export function goDo(task: Pick<TaskView, 'trigger'>) {
  const way = TASK_WAYS[task.trigger] || '/pages/tasks/index';
  return TAB_PAGES.includes(way) ? wx.switchTab({ url: way }) : wx.navigateTo({ url: way });
}
