import type { NoticeList } from '@likebox/protocol';
import { ApiError, type ApiRouter } from './apiRouter.js';
import type { Notices } from './notices.js';

/**
 * `GET /api/v1/notices`: the active notices, oldest first, for organisers only (HTTP Basic against
 * the users file: 401 without credentials, 403 for another role), as on `notices/+`.
 */
export function addNoticeRoutes(api: ApiRouter, notices: Notices): void {
  api.get('/api/v1/notices', async (req) => {
    const verdict = await req.organiser();
    if (verdict === 'unauthenticated') throw new ApiError(401, 'organiser credentials needed');
    if (verdict === 'forbidden') throw new ApiError(403, 'organisers only');
    return { json: { notices: notices.list() } satisfies NoticeList };
  });
}
