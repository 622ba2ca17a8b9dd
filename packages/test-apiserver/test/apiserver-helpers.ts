// Shared by the test API server's tests.
import { ApiException } from '@kubernetes/client-node';

/** Awaits a request that must fail and returns the API's status code and Status body. */
export async function apiFailure(p: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) return { code: e.code, body: typeof e.body === 'string' ? JSON.parse(e.body) : e.body };
    throw e;
  }
  throw new Error('expected the request to fail');
}
