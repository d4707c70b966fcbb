/**
 * Route declarations. Every route is declared once, here-shaped: its method and path, what it
 * does, the role it needs on what it touches (computed from the same decoded parameters the
 * handler reads), whether it costs a write token, and its handler. `resource()` turns a list of
 * them into a Hono sub-app whose every route runs `authorize` (http/authorize.ts) first, so the
 * decision is made on the route that will answer, never by matching URL strings beside the
 * router. `ROUTES` in app.ts collects them all: the authorization matrix test and the API
 * reference are generated from it.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import type * as z from 'zod';
import { errors, ErrorCode, RegistryError } from '../domain/errors';
import { authorize, requireAuthenticated, type RouteAccess } from './authorize';
import type { AppEnv } from './env';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Ctx = Context<AppEnv>;

/**
 * The request body a route reads: `json` is the zod schema its handler parses with; `content`
 * lists other media types (a raw snapshot, NDJSON, model output as text) with their shapes.
 */
interface RouteBody {
  json?: z.ZodType;
  content?: Record<string, z.ZodType>;
  /** An empty body is accepted (the handler then uses its defaults). */
  optional?: boolean;
}

/**
 * A route: where it is, what it does, who may call it (RouteAccess: role, target, cost), what it
 * reads and answers (its OpenAPI operation, http/openapi.ts), and its handler.
 */
export interface RouteDef extends RouteAccess {
  method: Method;
  /** Hono path relative to the resource, `:name` parameters. */
  path: string;
  summary: string;
  /** Query parameters the handler reads: each a zod schema with a description (`.describe()`). */
  query?: Record<string, z.ZodType>;
  body?: RouteBody;
  /**
   * What a success answers, by status (shapes from http/shapes.ts). Every route also answers the
   * one error envelope (ErrorBody) for 4xx and 5xx; the end-to-end suite checks every answer
   * against these declarations. `204: null`: success answers no body.
   */
  responses: Partial<Record<200 | 201 | 202 | 207 | 503, z.ZodType>> & { 204?: null };
  /** The media type of a success when it is not JSON (e.g. the HTML of /docs). */
  produces?: string;
  handler: (c: Ctx) => Response | Promise<Response>;
}

export interface Resource {
  prefix: string;
  app: Hono<AppEnv>;
  routes: readonly RouteDef[];
}

export function resource(prefix: string, routes: RouteDef[]): Resource {
  const app = new Hono<AppEnv>();
  for (const def of routes) app.on(def.method, def.path, authorize(def), def.handler);
  // A known path with another method is 405, as Jersey answers (after authentication: an
  // anonymous caller learns nothing about which paths exist beyond the public ones).
  for (const path of new Set(routes.map((r) => r.path))) {
    app.all(path, async (c) => {
      await requireAuthenticated(c);
      throw new RegistryError(ErrorCode.METHOD_NOT_ALLOWED, 'HTTP 405 Method Not Allowed');
    });
  }
  return { prefix, app, routes };
}

/** The full path of a route, in OpenAPI's `{name}` form: `/subjects/{subject}/versions`. */
export function fullPath(prefix: string, path: string): string {
  const joined = `${prefix === '/' ? '' : prefix}${path === '/' ? '' : path}` || '/';
  // Only a segment's leading `:` starts a parameter (Hono reads `/associations:batchGet` as literal).
  return joined.replace(/\/:([A-Za-z_]+)/g, '/{$1}');
}

/** A route parameter the router matched (always present on routes that declare it). */
export function param(c: Ctx, name: string): string {
  const v = c.req.param(name);
  if (v === undefined) throw errors.badRequest(`Missing path parameter ${name}`);
  return v;
}
