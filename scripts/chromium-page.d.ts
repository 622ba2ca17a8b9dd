import type { Page } from 'playwright-core';

export const CHROMIUM: string;
export function chromiumAvailable(): boolean;
export interface PageInfo {
  origin: string;
  /** Paths requested from the local server, in order. */
  requests: string[];
  /** Requests to anywhere else (refused). */
  offsite: string[];
  /** Uncaught errors in the page. */
  errors: string[];
}
export function withChromiumPage<T>(files: Record<string, { type: string; body: string | Uint8Array }>, fn: (page: Page, info: PageInfo) => Promise<T>, opts?: { timeoutMs?: number }): Promise<T>;
export const MODULE_PAGE: string;
