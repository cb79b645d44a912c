import axios, { type AxiosInstance } from 'axios';
import type { SentRequest } from './lexicon-requests.js';

/** An axios instance (for the adapter's `httpClient` option) that records every request it sends. */
export function createCapturingAxios(): { instance: AxiosInstance; requests: SentRequest[] } {
  const requests: SentRequest[] = [];
  const instance = axios.create({ maxRedirects: 0 });
  instance.interceptors.request.use((config) => {
    requests.push({ method: config.method ?? 'get', url: String(config.url), body: config.data });
    return config;
  });
  return { instance, requests };
}
