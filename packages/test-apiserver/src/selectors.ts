/** Label and field selectors (k8s.io/apimachinery/pkg/labels, pkg/fields) for LIST/WATCH. */
import { errors } from './errors.js';
import { EVENTS_V1_FIELD_LABELS } from './events.js';

export type Requirement =
  | { key: string; op: '=' | '!='; values: [string] }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!' }
  | { key: string; op: 'gt' | 'lt'; values: [string] };

export type Selector = Requirement[];

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

export function parseLabelSelector(input: string | null | undefined): Selector {
  if (!input) return [];
  const reqs: Selector = [];
  for (const part of splitTop(input)) {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^([^\s=!<>(),]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v, i, a) => v !== '' || a.length === 1);
      reqs.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values });
    } else if ((m = part.match(/^!\s*([^\s=!<>(),]+)$/))) {
      reqs.push({ key: m[1]!, op: '!' });
    } else if ((m = part.match(/^([^\s=!<>(),]+)\s*(==|=|!=)\s*([^\s=!<>(),]*)$/))) {
      reqs.push({ key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] });
    } else if ((m = part.match(/^([^\s=!<>(),]+)\s*(<|>)\s*(-?\d+)$/))) {
      reqs.push({ key: m[1]!, op: m[2] === '>' ? 'gt' : 'lt', values: [m[3]!] });
    } else if ((m = part.match(/^([^\s=!<>(),]+)$/))) {
      reqs.push({ key: m[1]!, op: 'exists' });
    } else {
      throw errors.badRequest(`unable to parse requirement: found '${part}', expected: identifier`);
    }
  }
  return reqs;
}

export function matchesLabels(sel: Selector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=':
        return has && v === r.values[0];
      case '!=':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v!);
      case 'notin':
        return !has || !r.values.includes(v!);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt':
      case 'lt': {
        if (!has) return false;
        const n = Number(v);
        if (!Number.isInteger(n)) return false;
        return r.op === 'gt' ? n > Number(r.values[0]) : n < Number(r.values[0]);
      }
    }
  });
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Fields every resource supports; a few kinds support more (we add the common ones). */
const EXTRA_FIELDS: Record<string, string[]> = {
  '/secrets': ['type'],
  '/pods': ['spec.nodeName', 'status.phase', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.podIP', 'status.nominatedNodeName'],
  'events.k8s.io/events': Object.keys(EVENTS_V1_FIELD_LABELS),
  '/events': ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  '/namespaces': ['status.phase'],
  'batch/jobs': ['status.successful'],
  '/replicationcontrollers': ['status.replicas'],
};

export function parseFieldSelector(input: string | null | undefined, storageKey: string, custom: boolean): FieldRequirement[] {
  if (!input) return [];
  const out: FieldRequirement[] = [];
  for (const part of splitTop(input)) {
    const m = part.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw errors.badRequest(`invalid selector: '${input}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    const allowed = ['metadata.name', 'metadata.namespace', ...(EXTRA_FIELDS[storageKey] ?? [])];
    if (!allowed.includes(field)) {
      throw errors.badRequest(
        custom ? `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"` : `field label not supported: ${field}`,
      );
    }
    // events.k8s.io/v1's labels select the stored (core/v1-shaped) fields they map to.
    const stored = storageKey === 'events.k8s.io/events' ? EVENTS_V1_FIELD_LABELS[field] ?? field : field;
    out.push({ field: stored, op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() });
  }
  return out;
}

function fieldValue(obj: any, field: string): string {
  if (field === 'status.successful') return String(obj?.status?.succeeded ?? 0);
  if (field === 'source') return String(obj?.source?.component ?? '');
  let cur = obj;
  for (const p of field.split('.')) cur = cur?.[p];
  return cur === undefined || cur === null ? '' : String(cur);
}

export function matchesFields(reqs: FieldRequirement[], obj: any): boolean {
  return reqs.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === '='));
}
