import type { JsonValue, Plan, PlanAction, PlanChange } from '../model.js';
import { humanizeConfigValue } from '../kafka/configs.js';
import { safe } from './escape.js';
import { actionLines, byPhase, count, partialLine, PHASE_TITLES, summaryLine, unmanagedAclCounts } from './layout.js';
import { describeResource } from './resource.js';

const MD_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '@': '&#64;', '#': '&#35;' };

/**
 * Text that markdown shows literally: control characters escaped first, then every character that
 * could start emphasis, code, links, tables, math, HTML, mentions or issue references neutralised.
 */
export function mdText(text: string): string {
  return safe(text).replace(/[\\`*_[\]|~$<>&@#]/g, (ch) => MD_ENTITIES[ch] ?? `\\${ch}`);
}

/** A fence longer than any run of backticks inside, so the content can never close it. */
function fenced(info: string, body: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

/** Unmanaged topics and principals named in a comment; the rest are counted (comments have a size limit). */
const UNMANAGED_LISTED = 100;

// Destructive first: deletions (topics, then ACLs), then updates, then creations.
const ROW_ORDER: Record<PlanAction['phase'], number> = { 6: 0, 5: 1, 2: 2, 3: 3, 1: 4, 4: 5 };

/** Longest value shown in the change table; the details block has every value in full. */
const CELL_VALUE_MAX = 40;

function cellValue(change: PlanChange, value: JsonValue): string {
  if (value === null && change.from === null) return '(none)';
  if (value === null) return change.inherited === undefined || change.sensitive ? '(default)' : `(default ${cellValue(change, change.inherited)})`;
  if (change.sensitive) return '(sensitive)';
  const raw = typeof value === 'string' ? value : JSON.stringify(value);
  const key = change.field.startsWith('config.') ? change.field.slice('config.'.length) : undefined;
  const shown = (key !== undefined && typeof value === 'string' ? humanizeConfigValue(key, value) : undefined) ?? raw;
  return mdText(shown.length > CELL_VALUE_MAX ? `${shown.slice(0, CELL_VALUE_MAX - 1)}…` : shown);
}

/** What a row changes, in short: `partitions 6 → 12`, `retention.ms 7d → 1d`, `12 partitions × 3 replicas`. */
function changeSummary(action: PlanAction): string {
  if (action.action === 'delete') return '';
  if (action.action === 'create') {
    if (action.resource.kind !== 'topic') return action.role === undefined ? '' : `from role ${mdText(action.role)}`;
    const get = (field: string): JsonValue | undefined => action.changes.find((c) => c.field === field)?.to;
    const configs = action.changes.filter((c) => c.field.startsWith('config.')).length;
    const size = `${mdText(String(get('partitions')))} partitions × ${mdText(String(get('replicationFactor')))} replicas`;
    return configs === 0 ? size : `${size}, ${count(configs, 'config')}`;
  }
  return action.changes
    .map((c) => {
      const name = mdText(c.field.startsWith('config.') ? c.field.slice('config.'.length) : c.field);
      return `${name} ${cellValue(c, c.from)} → ${cellValue(c, c.to)}`;
    })
    .join('<br>');
}

function diffBlock(plan: Plan): string {
  const lines: string[] = [];
  for (const [phase, actions] of byPhase(plan.actions)) {
    if (lines.length > 0) lines.push('');
    lines.push(`# Phase ${phase}: ${PHASE_TITLES[phase]}`);
    for (const action of actions) {
      for (const line of actionLines(action)) {
        // GitHub colours diff lines by their first column; `!` is its "changed" colour.
        const marker = line.marker === '~' ? '!' : line.marker;
        lines.push(`${marker} ${line.depth === 0 ? '' : '    '}${line.text}`);
      }
    }
  }
  return fenced('diff', lines.join('\n'));
}

/**
 * The plan as a pull-request comment: errors first and loud, a summary table and warnings, then
 * the change table with destructive changes at the top, details in collapsible sections. What
 * matters most comes first, so a comment cut to GitHub's size limit keeps it. Every name and value
 * is escaped so a hostile topic name cannot inject markdown, HTML or mentions.
 */
export function renderMarkdown(plan: Plan): string {
  const out: string[] = [];
  out.push(`### kafkaform plan for ${mdText(plan.cluster.name)} (${mdText(plan.cluster.type)})`, '');
  const partial = partialLine(plan);
  if (partial !== undefined) out.push('> [!NOTE]', `> ${mdText(partial)}`, '');

  if (plan.errors.length > 0) {
    out.push('> [!CAUTION]', `> **The plan has ${count(plan.errors.length, 'error')} and cannot be applied.**`, '>');
    for (const e of plan.errors) {
      const subject = e.resource ? `${mdText(describeResource(e.resource))}: ` : '';
      out.push(`> - ${subject}${mdText(e.reason)}`);
    }
    out.push('');
  }

  out.push(
    '| Create | Update | Delete | Errors | Held back | Unmanaged |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${plan.summary.create} | ${plan.summary.update} | ${plan.summary.delete} | ${plan.summary.errors} | ${plan.heldBack.length} | ${plan.unmanaged.length} |`,
    '',
  );

  if (plan.warnings.length > 0) {
    out.push('> [!WARNING]');
    for (const w of plan.warnings) out.push(`> - ${mdText(w)}`);
    out.push('');
  }

  if (plan.actions.length > 0) {
    const rows = [...plan.actions].sort((a, b) => ROW_ORDER[a.phase] - ROW_ORDER[b.phase]);
    out.push('| Action | Resource | Change |', '| --- | --- | --- |');
    for (const a of rows) {
      const verb = a.action === 'delete' ? '**delete**' : a.action;
      out.push(`| ${verb} | ${mdText(describeResource(a.resource))} | ${changeSummary(a)} |`);
    }
    out.push('', `<details><summary>Plan details (${count(plan.actions.length, 'action')})</summary>`, '', diffBlock(plan), '', '</details>', '');
  }

  if (plan.heldBack.length > 0) {
    out.push(`**Held back** (${plan.heldBack.length}, not in this plan):`, '');
    for (const h of plan.heldBack) out.push(`- ${mdText(describeResource(h.resource))}: ${mdText(h.reason)}`);
    out.push('');
  }

  const unmanagedTopics = plan.unmanaged.filter((r) => r.kind === 'topic');
  const unmanagedAcls = unmanagedAclCounts(plan.unmanaged);
  if (unmanagedTopics.length > 0 || unmanagedAcls.length > 0) {
    out.push(`<details><summary>Unmanaged (${plan.unmanaged.length}, outside the manifests' scope, never touched)</summary>`, '');
    for (const r of unmanagedTopics.slice(0, UNMANAGED_LISTED)) out.push(`- ${mdText(describeResource(r))}`);
    if (unmanagedTopics.length > UNMANAGED_LISTED) out.push(`- ... and ${unmanagedTopics.length - UNMANAGED_LISTED} more topics`);
    for (const [principal, n] of unmanagedAcls.slice(0, UNMANAGED_LISTED)) out.push(`- ${count(n, 'ACL binding')} of ${mdText(principal)}`);
    if (unmanagedAcls.length > UNMANAGED_LISTED) out.push(`- ... and the ACL bindings of ${unmanagedAcls.length - UNMANAGED_LISTED} more principals`);
    out.push('', '</details>', '');
  }

  out.push(`**${summaryLine(plan)}**`);
  return `${out.join('\n')}\n`;
}
