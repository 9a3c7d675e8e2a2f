// The description format lives in lib/common (below alarms and routing); the PagerDuty forwarder still imports it from here.
export { DESCRIPTION_LABELS, describeAlarm } from '../common/description';
