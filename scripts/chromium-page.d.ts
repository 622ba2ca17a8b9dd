// Types of chromium-page.js for the type-checked tests.
import type { Page } from 'playwright-core';

export declare const CHROMIUM: string;
export declare function chromiumAvailable(): boolean;
export interface PageInfo {
  origin: string;
  /** Paths the page asked the local server for, in order. */
  requests: string[];
  /** Requests to anywhere but the local server (refused). */
  offsite: string[];
  /** Uncaught errors of the page. */
  errors: string[];
}
export declare function withChromiumPage<T>(files: Record<string, { type: string; body: string | Uint8Array }>, fn: (page: Page, info: PageInfo) => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
export declare const MODULE_PAGE: string;
