/**
 * events.k8s.io/v1 Events, served as kube-apiserver serves them: from the same storage as core/v1 Events (one
 * object, two views; what is written through one group is read, listed and watched through the other), with
 * the field mapping of pkg/apis/events/v1/conversion.go:
 *   regarding ↔ involvedObject, note ↔ message, reportingController ↔ reportingComponent,
 *   deprecatedSource ↔ source, deprecatedFirstTimestamp ↔ firstTimestamp, deprecatedLastTimestamp ↔
 *   lastTimestamp, deprecatedCount ↔ count; related, action, reason, type, eventTime, series,
 *   reportingInstance are the same.
 * Objects are stored in the core/v1 shape (the internal type is core's). Writes through events.k8s.io/v1 get
 * its strict validation (ValidateEventCreate/Update for requestVersion events/v1): eventTime, a Normal|Warning
 * type, no deprecated* fields on create, a valid series; on update only the series may change.
 */
import type { FieldError } from './errors.js';

export const EVENTS_GROUP = 'events.k8s.io';

export function isEventsV1(def: { group: string; kind: string }): boolean {
  return def.group === EVENTS_GROUP && def.kind === 'Event';
}

/** events.k8s.io/v1 → core/v1 field names (v1 name, core name). */
const RENAMES: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];
const CORE_ONLY = new Set(RENAMES.map(([, c]) => c));
const V1_ONLY = new Set(RENAMES.map(([v]) => v));

/** A stored (core-shaped) Event as events.k8s.io/v1 serves it. */
export function eventToV1(stored: any): any {
  const out: any = {};
  for (const [k, v] of Object.entries(stored)) if (!CORE_ONLY.has(k)) out[k] = v;
  for (const [v1, core] of RENAMES) {
    const val = stored[core];
    if (val === undefined || val === null || val === '' || (core === 'count' && val === 0)) continue;
    if (core === 'source' && typeof val === 'object' && !val.component && !val.host) continue;
    out[v1] = val;
  }
  out.regarding ??= {};
  if (!('eventTime' in out)) out.eventTime = null;
  return out;
}

/** An events.k8s.io/v1 Event as stored (core shape). Core-only names sent through events.k8s.io are not its fields: dropped. */
export function eventFromV1(v1: any): any {
  const out: any = {};
  for (const [k, v] of Object.entries(v1)) if (!CORE_ONLY.has(k) && !V1_ONLY.has(k)) out[k] = v;
  for (const [v1Name, core] of RENAMES) if (v1[v1Name] !== undefined) out[core] = v1[v1Name];
  return out;
}

/** Field selector labels of events.k8s.io/v1 and the stored (core) field each selects. */
export const EVENTS_V1_FIELD_LABELS: Record<string, string> = {
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
  reason: 'reason',
  type: 'type',
};

const isSet = (v: unknown) => v !== undefined && v !== null && v !== '' && v !== 0;

/**
 * The strict checks of a write through events.k8s.io/v1 (on the core-shaped object; field paths as the
 * API server reports them), on top of the legacy checks every Event gets.
 */
export function validateEventsV1(ev: any, old: any | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!old) {
    if (ev.series != null) {
      if (typeof ev.series.count !== 'number' || ev.series.count < 2) errs.push({ type: 'Invalid', field: 'series.count', value: '', detail: 'should be at least 2' });
      if (!ev.series.lastObservedTime) errs.push({ type: 'Required', field: 'series.lastObservedTime', detail: '' });
    }
    if (!ev.eventTime) errs.push({ type: 'Required', field: 'eventTime', detail: '' });
    if (ev.type !== 'Normal' && ev.type !== 'Warning') errs.push({ type: 'Invalid', field: 'type', value: '', detail: `has invalid value: ${ev.type ?? ''}` });
    if (isSet(ev.firstTimestamp)) errs.push({ type: 'Invalid', field: 'deprecatedFirstTimestamp', value: '', detail: 'needs to be unset' });
    if (isSet(ev.lastTimestamp)) errs.push({ type: 'Invalid', field: 'deprecatedLastTimestamp', value: '', detail: 'needs to be unset' });
    if (isSet(ev.count)) errs.push({ type: 'Invalid', field: 'deprecatedCount', value: '', detail: 'needs to be unset' });
    if (isSet(ev.source?.component) || isSet(ev.source?.host)) errs.push({ type: 'Invalid', field: 'deprecatedSource', value: '', detail: 'needs to be unset' });
    return errs;
  }
  if (ev.series != null && old.series != null) {
    if (typeof ev.series.count !== 'number' || ev.series.count < 2) errs.push({ type: 'Invalid', field: 'series.count', value: '', detail: 'should be at least 2' });
  }
  // Everything but the series (and metadata) is immutable through events.k8s.io/v1.
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const immutable: [string, string][] = [
    ['involvedObject', 'involvedObject'],
    ['reason', 'reason'],
    ['message', 'message'],
    ['source', 'source'],
    ['firstTimestamp', 'firstTimestamp'],
    ['lastTimestamp', 'lastTimestamp'],
    ['count', 'count'],
    ['type', 'type'],
    ['eventTime', 'eventTime'],
    ['action', 'action'],
    ['related', 'related'],
    ['reportingComponent', 'reportingController'],
    ['reportingInstance', 'reportingInstance'],
  ];
  for (const [k, field] of immutable) if (!same(ev[k], old[k])) errs.push({ type: 'Invalid', field, value: ev[k] ?? '', detail: 'field is immutable' });
  return errs;
}
