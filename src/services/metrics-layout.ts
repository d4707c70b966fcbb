/**
 * The layout of the Analytics Engine data points this Worker writes (binding METRICS), in one
 * place: the writer (http/metrics.ts) builds every point from it, and docs/observability.md
 * documents it (a unit test checks the doc's table is this one, so the SQL there names the right
 * columns). Analytics Engine columns are positional (blob1..blob20, double1..double20, index1):
 * a point's kind is blob1, so one dataset holds every kind and each query filters on it.
 *
 * Append new fields at the end of a kind: moving one changes what old rows mean.
 */
import { utf8Length } from '../domain/utf8-length';

export const POINT_LAYOUT = {
  /** One per request answered by the Worker. */
  request: {
    index: 'route',
    blobs: ['kind', 'route', 'method', 'status', 'error_code', 'layer', 'context', 'colo', 'trace_id'],
    doubles: ['wall_ms', 'd1_queries', 'd1_round_trips', 'response_bytes'],
  },
  /** One more per registration (POST /subjects/{subject}/versions) that got past authorization. */
  write: {
    index: 'route',
    blobs: ['kind', 'route', 'format', 'compatibility', 'result', 'error_code', 'context', 'colo'],
    doubles: [],
  },
  /** One more per POST /v1/validate/... that reached a schema: documents checked and how many failed. */
  validation: {
    index: 'route',
    blobs: ['kind', 'route', 'subject', 'body', 'context', 'colo'],
    doubles: ['documents', 'invalid'],
  },
  /**
   * One per commit of a writer Durable Object (durable/commit-metrics.ts): a group of registrations
   * or one other write, with the D1 work the writer did for it, which the request points cannot see
   * (the writer holds its own D1 binding).
   */
  commit: {
    index: 'action',
    blobs: ['kind', 'action', 'result', 'error_code', 'context'],
    doubles: ['writes', 'd1_queries', 'd1_round_trips', 'wall_ms'],
  },
} as const;

export type PointKind = keyof typeof POINT_LAYOUT;
type Blobs<K extends PointKind> = Exclude<(typeof POINT_LAYOUT)[K]['blobs'][number], 'kind'>;
type Doubles<K extends PointKind> = (typeof POINT_LAYOUT)[K]['doubles'][number];

/** Analytics Engine accepts at most 96 bytes of index; route templates are far shorter. */
const MAX_INDEX_BYTES = 96;

/** A data point of `kind`, its fields placed at the positions the layout gives them. */
export function dataPoint<K extends PointKind>(
  kind: K,
  blobs: Record<Blobs<K>, string>,
  doubles: Record<Doubles<K>, number>,
): AnalyticsEngineDataPoint {
  const layout = POINT_LAYOUT[kind];
  const values = blobs as Record<string, string>;
  const numbers = doubles as Record<string, number>;
  return {
    // The sampling key (the route template; a commit's action): rare ones keep their rows when busy ones are sampled.
    indexes: [truncateUtf8(values[layout.index], MAX_INDEX_BYTES)],
    blobs: layout.blobs.map((name) => (name === 'kind' ? kind : values[name])),
    doubles: layout.doubles.map((name) => numbers[name]),
  };
}

function truncateUtf8(text: string, maxBytes: number): string {
  // Every request's route template: almost always short enough, known without encoding it.
  if (utf8Length(text) <= maxBytes) return text;
  const bytes = new TextEncoder().encode(text);
  return bytes.length <= maxBytes ? text : new TextDecoder().decode(bytes.slice(0, maxBytes)).replace(/\uFFFD$/, '');
}
