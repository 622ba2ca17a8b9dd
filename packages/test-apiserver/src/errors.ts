/** Kubernetes `Status` error bodies, shaped like k8s.io/apimachinery/pkg/api/errors. */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? 'error');
  }
  get code(): number {
    return this.status.code;
  }
}

export function statusBody(code: number, reason: string | undefined, message: string, details?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
  if (reason) s.reason = reason;
  if (details) s.details = details;
  return s;
}

export function apiError(code: number, reason: string | undefined, message: string, details?: StatusDetails): ApiError {
  return new ApiError(statusBody(code, reason, message, details));
}

/** A group/resource pair, e.g. {group:'apps', resource:'deployments'}. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function grDetails(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = { name };
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return d;
}

export const errors = {
  notFound(gr: GroupResource, name: string): ApiError {
    return apiError(404, 'NotFound', `${qualified(gr)} "${name}" not found`, grDetails(gr, name));
  },
  alreadyExists(gr: GroupResource, name: string): ApiError {
    return apiError(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, grDetails(gr, name));
  },
  conflict(gr: GroupResource, name: string, why: string): ApiError {
    return apiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, grDetails(gr, name));
  },
  modified(gr: GroupResource, name: string): ApiError {
    return errors.conflict(gr, name, 'the object has been modified; please apply your changes to the latest version and try again');
  },
  badRequest(message: string): ApiError {
    return apiError(400, 'BadRequest', message);
  },
  methodNotSupported(gr: GroupResource, action: string): ApiError {
    return apiError(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualified(gr)}"`, {
      ...(gr.group ? { group: gr.group } : {}),
      kind: gr.resource,
    });
  },
  forbidden(gr: GroupResource, name: string, why: string): ApiError {
    const what = name ? `${qualified(gr)} "${name}"` : qualified(gr);
    return apiError(403, 'Forbidden', `${what} is forbidden: ${why}`, grDetails(gr, name));
  },
  unauthorized(): ApiError {
    return apiError(401, 'Unauthorized', 'Unauthorized');
  },
  expired(message: string): ApiError {
    return apiError(410, 'Expired', message);
  },
  tooLarge(message: string): ApiError {
    return apiError(413, 'RequestEntityTooLarge', message);
  },
  unsupportedMediaType(contentType: string, accepted: string[]): ApiError {
    return apiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    );
  },
  internal(message: string): ApiError {
    return apiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
  },
  /** 404 for a URL that is not served at all (real servers answer `404 page not found` text; we answer a Status). */
  notServed(): ApiError {
    return apiError(404, 'NotFound', 'the server could not find the requested resource', {});
  },
};

/** field.Error (k8s.io/apimachinery/pkg/util/validation/field). */
export interface FieldError {
  type: 'Required' | 'Invalid' | 'Forbidden' | 'TooLong' | 'Duplicate' | 'NotSupported' | 'TooMany';
  field: string;
  value?: unknown;
  detail?: string;
}

const causeReason: Record<FieldError['type'], string> = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  Duplicate: 'FieldValueDuplicate',
  NotSupported: 'FieldValueNotSupported',
  TooMany: 'FieldValueTooMany',
};

/** Renders a value roughly like Go's `%#v` for the types we produce (strings quoted, others JSON). */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
  if (v === undefined) return 'null';
  return JSON.stringify(v);
}

export function fieldErrorBody(e: FieldError): string {
  switch (e.type) {
    case 'Required':
      return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'Invalid':
      return e.detail ? `Invalid value: ${goValue(e.value)}: ${e.detail}` : `Invalid value: ${goValue(e.value)}`;
    case 'Forbidden':
      return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'TooLong':
      return e.detail ? `Too long: ${e.detail}` : 'Too long';
    case 'Duplicate':
      return `Duplicate value: ${goValue(e.value)}`;
    case 'NotSupported':
      return `Unsupported value: ${goValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'TooMany':
      return e.detail ? `Too many: ${e.detail}` : 'Too many';
  }
}

/** 422 Invalid, formatted like errors.NewInvalid. `kind` is the Kind (e.g. Deployment), group its API group. */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): ApiError {
  const msgs = errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
  const agg = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const details: StatusDetails = { name };
  if (group) details.group = group;
  details.kind = kind;
  details.causes = errs.map((e) => ({ reason: causeReason[e.type], message: fieldErrorBody(e), field: e.field }));
  return apiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${agg}`, details);
}
