/**
 * The sweep's readable page (reports/sweep/summary.md): totals and throughput first, then one section
 * per violated rule (users, resources, the first users, examples with resource, JSON path and value),
 * then the users whose login failed or whose target was unavailable.
 */
import type { SweepSummary } from './aggregate.js';
import { apiRuleSource } from './api-rules.js';

const MAX_CELL = 160;
const MAX_LISTED_USERS = 200;

function cell(text: unknown): string {
  const raw = typeof text === 'string' ? text : (JSON.stringify(text) ?? String(text));
  const cut = raw.length > MAX_CELL ? `${raw.slice(0, MAX_CELL)}…` : raw;
  return cut.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function userList(users: readonly string[], total: number): string {
  const shown = users.slice(0, MAX_LISTED_USERS).join(', ');
  return total > users.length || users.length > MAX_LISTED_USERS ? `${shown}, … (${total} in all)` : shown;
}

export function renderSummaryMarkdown(summary: SweepSummary): string {
  const { run, totals, throughput } = summary;
  const lines: string[] = [];
  lines.push(`# Population sweep: API ${run.apiVersion}${summary.complete ? '' : ' (incomplete)'}`);
  lines.push('');
  lines.push(`- Target: ${run.target.kind}${run.target.baseUrl ? ` (${run.target.baseUrl})` : ''}${run.fault ? `, fault mode ${code(run.fault)}` : ''}`);
  lines.push(`- Users: ${run.selection}${run.shard ? `, shard ${run.shard}` : ''}: ${totals.selected} selected, ${totals.done} swept${totals.notDone > 0 ? `, ${totals.notDone} not yet (resume the sweep to finish)` : ''}`);
  lines.push(
    `- Status: ${totals.byStatus.ok} ok, ${totals.byStatus.violations} with violations, ${totals.byStatus['login-failed']} login failed, ${totals.byStatus['target-unavailable']} target unavailable`,
  );
  const resourceText = Object.entries(totals.resources)
    .map(([type, count]) => `${count} ${type}`)
    .join(', ');
  lines.push(`- Resources validated: ${resourceText || 'none'} (${totals.pages} search pages)`);
  lines.push(
    `- Throughput: ${throughput.usersPerMinute} users/min, ${throughput.resourcesPerSecond} resources/s over ${throughput.activeMinutes} min sweeping, ${run.concurrency} browser context(s), ${throughput.requestsPerUser} requests per user`,
  );
  const phases = Object.entries(throughput.meanPhaseMs);
  if (phases.length > 0) lines.push(`- Mean time per user: ${phases.map(([phase, ms]) => `${phase} ${ms} ms`).join(', ')}`);
  lines.push('');

  lines.push('## Violations by rule');
  lines.push('');
  if (summary.rules.length === 0) {
    lines.push('No rule was broken by the data of the users swept.');
  } else {
    lines.push('| rule | element | requirement or source | severity | users | resources | violations |');
    lines.push('|---|---|---|---|---:|---:|---:|');
    for (const rule of summary.rules) {
      const cited = rule.requirement ?? apiRuleSource(rule.rule)?.source ?? '';
      lines.push(`| ${cell(rule.rule)} | ${code(rule.element)} | ${cited} | ${rule.severity} | ${rule.users} | ${rule.resources} | ${rule.violations} |`);
    }
    for (const rule of summary.rules) {
      lines.push('');
      lines.push(`### ${rule.rule}: ${rule.element}`);
      lines.push('');
      const source = apiRuleSource(rule.rule);
      lines.push(`${rule.users} user(s), ${rule.resources} resource(s), ${rule.violations} violation(s)${rule.requirement ? `; requirement ${code(rule.requirement)}` : ''}.`);
      if (source !== undefined) lines.push('', `Rule: ${source.detail} (${source.source}).`);
      lines.push('');
      lines.push(`Users: ${userList(rule.someUsers, rule.users)}`);
      lines.push('');
      lines.push('| user | resource | where | path | value | message |');
      lines.push('|---|---|---|---|---|---|');
      for (const example of rule.examples) {
        const resource = example.id === undefined ? example.resourceType : `${example.resourceType}/${example.id}`;
        const value = 'value' in example && example.value !== undefined ? code(cell(example.value)) : '';
        lines.push(`| ${example.user} | ${cell(resource)} | ${cell(example.where)} | ${code(cell(example.path || '(root)'))} | ${value} | ${cell(example.message)} |`);
      }
    }
  }

  const failures: Array<[string, ReadonlyArray<{ user: string; error: string }>]> = [
    ['Login or consent failed', summary.users.loginFailed],
    ['Target unavailable', summary.users.targetUnavailable],
  ];
  for (const [title, users] of failures) {
    if (users.length === 0) continue;
    lines.push('');
    lines.push(`## ${title} (${users.length})`);
    lines.push('');
    lines.push('| user | what happened |');
    lines.push('|---|---|');
    for (const { user, error } of users.slice(0, MAX_LISTED_USERS)) lines.push(`| ${user} | ${cell(error)} |`);
    if (users.length > MAX_LISTED_USERS) lines.push(`| … | ${users.length - MAX_LISTED_USERS} more in summary.json |`);
  }
  if (summary.notes.length > 0) {
    lines.push('');
    lines.push(`## Notes (${summary.notes.length})`);
    lines.push('');
    for (const { user, note } of summary.notes.slice(0, MAX_LISTED_USERS)) lines.push(`- ${user}: ${cell(note)}`);
  }
  lines.push('');
  return lines.join('\n');
}
