import { Severity, SlaTier } from '../config/types';

/** Response targets of the service's published SLA, by tier and severity. */
export const RESPONSE_TARGETS: Record<SlaTier, Record<Severity, string>> = {
  [SlaTier.STANDARD]: {
    [Severity.P1]: '30 min in business hours, 2 h off-hours',
    [Severity.P2]: 'next business day',
    [Severity.P3]: 'weekly batch',
  },
  [SlaTier.ENTERPRISE]: {
    [Severity.P1]: '15 min, 30 min off-hours',
    [Severity.P2]: '4 hours',
    [Severity.P3]: '2 business days',
  },
};
