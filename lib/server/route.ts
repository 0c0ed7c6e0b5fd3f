/** Route handlers get the running app and answer any thrown problem as its HTTP response. */
import { problemResponse } from '../api/http';
import { getApp } from './app-holder';
import type { App } from './app';

export function route<C>(fn: (app: App, req: Request, ctx: C) => Promise<Response>): (req: Request, ctx: C) => Promise<Response> {
  return async (req, ctx) => {
    try {
      return await fn(getApp(), req, ctx);
    } catch (err) {
      return problemResponse(err);
    }
  };
}
