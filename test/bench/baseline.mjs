/**
 * Bench baseline Worker (plain JS module): the floor an HTTP validation cannot go below. It reads and
 * JSON-parses the same body as /v1/validate and answers {valid:true,errors:[]}: everything except
 * the registry's routing, validator lookup and validation. Used only by test/bench/edge.mjs.
 */
export default {
  async fetch(request) {
    if (request.method !== 'POST') return new Response('not found', { status: 404 });
    JSON.parse(await request.text());
    return new Response('{"valid":true,"errors":[]}', { headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } });
  },
};
