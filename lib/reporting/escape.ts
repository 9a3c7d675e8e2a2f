/** HTML escaping for the self-contained pages (the governance report, the audit pack). No dependencies. */

/**
 * Escapes text for HTML element content and for double- or single-quoted attribute values.
 * Control characters (which HTML drops or rejects inconsistently) become U+FFFD.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]).replace(CONTROL, '\uFFFD');
}
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' };
