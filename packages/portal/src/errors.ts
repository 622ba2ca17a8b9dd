// Failures as the API answers them: a status and a message fit for the user
// (the same text the CLI prints), never a stack trace.
import { CatalogError, NotSupportedError, PolicyError, ValidationError } from '@opm/core';
import {
  AdoptionError,
  ApiUnreachableError,
  ConflictError,
  DeleteCancelledError,
  HistoryConflictError,
  KubeApiError,
  ModuleDigestChangedError,
  NothingToRollBackError,
  ObjectApiError,
  OwnershipError,
  ReleaseLockedError,
  ReleaseNotFoundError,
  ReleaseRequestError,
  WaitError,
} from '@opm/kube';
import { ManagedByOperatorError } from '@opm/operator';
import { HttpError } from './http.js';

export interface ApiError {
  status: number;
  message: string;
  /** One entry per finding (each validation message: layer, path, constraint). */
  problems?: string[];
}

export function apiError(e: unknown): ApiError {
  if (e instanceof HttpError) return { status: e.status, message: e.message };
  if (e instanceof ValidationError) return { status: 422, message: e.message, problems: e.problems };
  if (e instanceof PolicyError) return { status: 422, message: e.message, problems: e.violations };
  if (e instanceof CatalogError) return { status: 404, message: e.message };
  if (e instanceof NotSupportedError) return { status: 501, message: e.message };
  if (e instanceof ReleaseNotFoundError) return { status: 404, message: e.message };
  if (e instanceof ApiUnreachableError) return { status: 502, message: e.summary };
  if (e instanceof WaitError) return { status: 504, message: e.message };
  if (
    e instanceof ManagedByOperatorError ||
    e instanceof ConflictError ||
    e instanceof AdoptionError ||
    e instanceof OwnershipError ||
    e instanceof ReleaseLockedError ||
    e instanceof HistoryConflictError ||
    e instanceof ModuleDigestChangedError ||
    e instanceof DeleteCancelledError
  ) {
    return { status: 409, message: e.message };
  }
  if (e instanceof NothingToRollBackError || e instanceof ReleaseRequestError) return { status: 400, message: e.message };
  const code = e instanceof ObjectApiError ? e.status : e instanceof KubeApiError ? e.code : undefined;
  if (code !== undefined && code >= 400 && code < 600) return { status: code, message: (e as Error).message };
  return { status: 500, message: e instanceof Error ? e.message : String(e) };
}
