import { z } from 'zod';
import { isBusinessDay } from './beijing';

/** The one input schema for a day: a real calendar day written `YYYY-MM-DD`. */
export const businessDaySchema = z.lazy(() => z.string().refine(isBusinessDay, 'must be a real day, YYYY-MM-DD'));

/** A month, `YYYY-MM`. */
export const monthSchema = z.lazy(() => z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM'));
