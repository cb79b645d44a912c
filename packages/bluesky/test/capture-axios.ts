import axios, { type AxiosInstance } from 'axios';
import type { SentRequest } from './lexicon-requests.js';

/** A request as the adapter's axios instance sent it, with its headers. */
export interface CapturedRequest extends SentRequest {
  headers: Record<string, string>;
}

/** An axios instance (for the adapter's `httpClient` option) that records every request it sends. */
export function createCapturingAxios(): { instance: AxiosInstance; requests: CapturedRequest[] } {
  const requests: CapturedRequest[] = [];
  const instance = axios.create({ maxRedirects: 0 });
  instance.interceptors.request.use((config) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(config.headers.toJSON()))
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
    requests.push({ method: config.method ?? 'get', url: String(config.url), body: config.data, headers });
    return config;
  });
  return { instance, requests };
}
