/*
 * The audit pack's renderers. One outline of blocks (headings, paragraphs, lists, tables) is built
 * from the model and written out as Markdown and as one self-contained HTML page (inline CSS, no
 * script, nothing loaded from anywhere; every string escaped); the JSON is the model itself.
 */
import { AuditModel, AuditStatement } from './model';
import { escapeHtml } from '../reporting/escape';

type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string; readonly id?: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: string[] }
  | { readonly kind: 'table'; readonly head: string[]; readonly rows: string[][] };

/** The sections, in reading order, with the ids the HTML anchors use. */
export const AUDIT_SECTIONS = [
  { id: 'answers', title: 'Answers first' },
  { id: 'outbound', title: 'Data that leaves the account' },
  { id: 'iam', title: 'Who may do what (IAM)' },
  { id: 'data-stores', title: 'Data stores: encryption and retention' },
  { id: 'cdk-nag', title: 'Rule checks (cdk-nag)' },
  { id: 'cost', title: 'Monitoring cost' },
  { id: 'resources', title: 'Every resource' },
] as const;

const title = (id: typeof AUDIT_SECTIONS[number]['id']): Block => ({ kind: 'heading', level: 2, text: AUDIT_SECTIONS.find((s) => s.id === id)!.title, id });
const or = (items: string[], none: string) => (items.length ? items.join('; ') : none);

function statementRows(statements: AuditStatement[], withPrincipals: boolean): string[][] {
  return statements.map((s) => [
    s.effect,
    ...(withPrincipals ? [or(s.principals, '—')] : []),
    [...s.actions, ...s.notActions.map((a) => `everything but ${a}`)].join(', '),
    or(s.resources, '—'),
    or(s.conditions, '—'),
  ]);
}

function outline(m: AuditModel): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: `Audit pack: ${m.displayName} (${m.clientId})` },
    {
      kind: 'paragraph',
      text: `What cdk-ai-ops ${m.libraryVersion} deploys into the AWS account of ${m.displayName}, read from the synthesized templates on ${m.generatedAt}. `
        + 'Resources are named by their construct path (the name CDK gives them; the deployed resource carries it in its `aws:cdk:path` metadata). '
        + '`<account>` and `<region>` stand for the account and region deployed to; a name in angle brackets is another resource of the pack.',
    },
    { kind: 'list', items: m.stacks.map((s) => `Stack ${s.stack}: ${s.templates.length} template(s): ${s.templates.join(', ')}`) },
    title('answers'),
  ];
  for (const answer of m.answers) blocks.push({ kind: 'heading', level: 3, text: answer.question }, { kind: 'list', items: answer.answer });

  blocks.push(title('outbound'), {
    kind: 'paragraph',
    text: m.flows.length
      ? `${m.flows.length} kind(s) of message leave the account. Each is listed with every field it carries and what it never carries.`
      : 'Nothing leaves the account.',
  });
  for (const flow of m.flows) {
    blocks.push(
      { kind: 'heading', level: 3, text: flow.title },
      { kind: 'list', items: [`Destination: ${flow.destination}`, `Sent by: ${flow.transport}`, `To: ${or(flow.recipients, 'no recipient configured')}`, `Resources: ${flow.via.join(', ')}`] },
      { kind: 'table', head: ['Field', 'Content'], rows: flow.fields.map((f) => [f.field, f.content]) },
      { kind: 'paragraph', text: `Never sent: ${or(flow.neverSent, 'not stated: this delivery is not configured by cdk-ai-ops')}.` },
    );
  }

  blocks.push(title('iam'), {
    kind: 'paragraph',
    text: `${m.roles.length} role(s). For each: who may assume it, what acts as it, and every statement it is granted. Then every resource policy: who may use the resource.`,
  });
  for (const role of m.roles) {
    blocks.push(
      { kind: 'heading', level: 3, text: `Role ${role.path}` },
      {
        kind: 'list',
        items: [
          role.purpose,
          `Assumed by: ${or(role.assumedBy, 'no one')}`,
          `Used by: ${or(role.usedBy, 'nothing in these stacks')}`,
          `Policies: ${or([...role.policies, ...role.awsManagedPolicies.map((p) => `AWS managed policy ${p} (its statements are AWS's)`)], 'none')}`,
        ],
      },
      role.statements.length
        ? { kind: 'table', head: ['Effect', 'Actions', 'On', 'Conditions'], rows: statementRows(role.statements, false) }
        : { kind: 'paragraph', text: 'No statement in these templates.' },
    );
  }
  const resourcePolicies = m.policies.filter((p) => p.kind === 'resource policy' || p.kind === 'invoke permission');
  blocks.push({ kind: 'heading', level: 3, text: 'Resource policies' });
  for (const policy of resourcePolicies) {
    blocks.push(
      { kind: 'paragraph', text: `${policy.path} (${policy.kind}, on ${or(policy.attachedTo, '—')})` },
      { kind: 'table', head: ['Effect', 'Who', 'Actions', 'On', 'Conditions'], rows: statementRows(policy.statements, true) },
    );
  }

  blocks.push(title('data-stores'), {
    kind: 'table',
    head: ['Store', 'Kind', 'Holds', 'Encryption', 'Retention'],
    rows: m.dataStores.map((d) => [d.path, d.kind, d.holds, d.encryption, d.retention]),
  });

  blocks.push(title('cdk-nag'));
  if (m.nag.packs.length === 0) {
    blocks.push({ kind: 'paragraph', text: 'No cdk-nag report was found in the cloud assembly.' });
  } else {
    blocks.push({
      kind: 'table',
      head: ['Pack', 'Stacks', 'Compliant checks', 'Acknowledged findings', 'Open findings'],
      rows: m.nag.packs.map((p) => [p.pack, p.stacks.join(', '), String(p.compliant), String(p.suppressed), String(p.nonCompliant)]),
    });
  }
  if (m.nag.findings.length) {
    blocks.push({ kind: 'heading', level: 3, text: 'Findings and why each is accepted' }, {
      kind: 'table',
      head: ['Pack', 'Rule', 'Resource', 'Status', 'Reason'],
      rows: m.nag.findings.map((f) => [f.pack, f.ruleId, f.resource, f.compliance === 'Suppressed' ? 'acknowledged' : `OPEN (${f.compliance})`, f.reason ?? f.ruleInfo]),
    });
  }
  blocks.push({ kind: 'heading', level: 3, text: 'Acknowledgements recorded on the constructs' }, m.nag.acknowledgements.length
    ? { kind: 'table', head: ['Construct (and everything under it)', 'Rule', 'Reason'], rows: m.nag.acknowledgements.map((a) => [a.constructPath, a.ruleId, a.reason]) }
    : { kind: 'paragraph', text: 'None.' });

  blocks.push(title('cost'));
  if (m.monitoringCost) {
    blocks.push(
      { kind: 'table', head: ['Item', 'Quantity', 'USD a month'], rows: m.monitoringCost.items.map((i) => [i.item, String(i.quantity), i.monthlyUsd.toFixed(2)]) },
      { kind: 'paragraph', text: `Total: USD ${m.monitoringCost.totalMonthlyUsd.toFixed(2)} a month. ${m.monitoringCost.basis}` },
    );
  } else {
    blocks.push({ kind: 'paragraph', text: 'No monitoring cost report was found in the cloud assembly.' });
  }

  blocks.push(title('resources'), { kind: 'paragraph', text: `${m.resources.length} resources.` }, {
    kind: 'table',
    head: ['Construct path', 'Type', 'Purpose'],
    rows: m.resources.map((r) => [r.path, r.type, r.purpose]),
  });
  return blocks;
}

/** Markdown text: outside `code` spans, characters Markdown would read as markup are escaped; lines joined. */
function mdText(text: string): string {
  return text.replace(/\r?\n/g, ' ').split(/(`[^`]+`)/).map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*<\[\]]/g, (c) => `\\${c}`))).join('');
}
const mdCell = (text: string) => mdText(text).replace(/\|/g, '\\|');

/** The pack as Markdown. */
export function renderAuditMarkdown(m: AuditModel): string {
  return outline(m).map((b) => {
    switch (b.kind) {
      case 'heading': return `${'#'.repeat(b.level)} ${mdText(b.text)}\n`;
      case 'paragraph': return `${mdText(b.text)}\n`;
      case 'list': return b.items.map((item) => `- ${mdText(item)}`).join('\n') + '\n';
      case 'table': return [
        `| ${b.head.map(mdCell).join(' | ')} |`,
        `| ${b.head.map(() => '---').join(' | ')} |`,
        ...b.rows.map((row) => `| ${row.map(mdCell).join(' | ')} |`),
      ].join('\n') + '\n';
    }
  }).join('\n');
}

/** Escaped text with `code` spans as <code>. */
const inline = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

const STYLE = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;max-width:72rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}h3{margin-top:1.6rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.9rem;table-layout:fixed}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f6f8fa}code{background:#f6f8fa;padding:0 .2rem;border-radius:3px}
nav ol{columns:2}@media print{h2{break-before:page}}`;

/** The pack as one self-contained HTML page. */
export function renderAuditHtml(m: AuditModel): string {
  const body = outline(m).map((b) => {
    switch (b.kind) {
      case 'heading': return `<h${b.level}${b.id ? ` id="${escapeHtml(b.id)}"` : ''}>${inline(b.text)}</h${b.level}>`;
      case 'paragraph': return `<p>${inline(b.text)}</p>`;
      case 'list': return `<ul>${b.items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`;
      case 'table': return `<table><thead><tr>${b.head.map((h) => `<th scope="col">${inline(h)}</th>`).join('')}</tr></thead>`
        + `<tbody>${b.rows.map((row) => `<tr>${row.map((cell) => `<td>${inline(cell)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
    }
  });
  const nav = `<nav><ol>${AUDIT_SECTIONS.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('')}</ol></nav>`;
  // The nav goes after the introduction (title, paragraph, stack list).
  body.splice(3, 0, nav);
  return '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    + '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">'
    + `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(`Audit pack: ${m.displayName} (${m.clientId})`)}</title>`
    + `<style>${STYLE}</style></head><body>${body.join('\n')}</body></html>\n`;
}

/** The model as JSON, for tooling. */
export function renderAuditJson(m: AuditModel): string {
  return JSON.stringify(m, null, 2) + '\n';
}
