#!/usr/bin/env node
// The interactive API reference (GET /docs/) → build/assets/docs/: Swagger UI (swagger-ui-dist,
// Apache-2.0, its licence copied alongside) reading the Worker's own /openapi.json. Served as
// Workers static assets with the console, so nothing is loaded from a CDN and the Worker bundle
// does not grow. Run by wrangler's [build] command with the console's build (docs/openapi.md).
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const out = join(ROOT, 'build', 'assets', 'docs');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css', 'LICENSE', 'NOTICE']) copyFileSync(join(dist, file), join(out, file));

writeFileSync(
  join(out, 'index.html'),
  `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta
      http-equiv="Content-Security-Policy"
      content="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"
    />
    <title>LLM Schema Registry API</title>
    <link rel="stylesheet" href="swagger-ui.css" />
  </head>
  <body>
    <main id="swagger-ui"></main>
    <script src="swagger-ui-bundle.js"></script>
    <script src="init.js"></script>
  </body>
</html>
`,
);

// No inline script (a strict Content-Security-Policy can forbid them). Requests made from the
// page say they come from a script, so a 401 never opens the browser's own Basic login dialog
// (the API omits WWW-Authenticate for them); the Authorize button sets the credentials instead.
writeFileSync(
  join(out, 'init.js'),
  `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: false,
  requestInterceptor: (request) => {
    request.headers['X-Requested-With'] = 'XMLHttpRequest';
    return request;
  },
});
`,
);
if (!process.env.QUIET) console.error('API reference built into build/assets/docs');
