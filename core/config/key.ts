import { z } from 'zod';

/** The id of an operator-edited document (task, item, template, deal, offer, experiment): what operators type and URLs carry. */
export const configKey = z.lazy(() => z.string().regex(/^[a-z0-9-]{2,48}$/, 'lower-case letters, digits and - (2–48)'));
