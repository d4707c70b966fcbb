/**
 * The official meta-schemas of the five drafts, bundled as JSON (no network, no file system): used to
 * validate registered schemas, and as documents a schema may `$ref` (e.g. "http://json-schema.org/draft-07/schema#").
 * Sources: json-schema.org (draft-04 via @criteria/json-schema's copy; 06/07 idem; 2019-09 and 2020-12 as
 * shipped in ajv/dist/refs), unchanged.
 */
import d04 from './draft-04.json';
import d06 from './draft-06.json';
import d07 from './draft-07.json';
import s2019 from './2019-09.json';
import s2019applicator from './2019-09-applicator.json';
import s2019content from './2019-09-content.json';
import s2019core from './2019-09-core.json';
import s2019format from './2019-09-format.json';
import s2019metaData from './2019-09-meta-data.json';
import s2019validation from './2019-09-validation.json';
import s2020 from './2020-12.json';
import s2020applicator from './2020-12-applicator.json';
import s2020content from './2020-12-content.json';
import s2020core from './2020-12-core.json';
import s2020format from './2020-12-format-annotation.json';
import s2020metaData from './2020-12-meta-data.json';
import s2020unevaluated from './2020-12-unevaluated.json';
import s2020validation from './2020-12-validation.json';

/** Every bundled meta-schema document by its URI (without fragment). */
export const META_DOCUMENTS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['http://json-schema.org/draft-04/schema', d04],
  ['http://json-schema.org/draft-06/schema', d06],
  ['http://json-schema.org/draft-07/schema', d07],
  ['https://json-schema.org/draft/2019-09/schema', s2019],
  ['https://json-schema.org/draft/2019-09/meta/applicator', s2019applicator],
  ['https://json-schema.org/draft/2019-09/meta/content', s2019content],
  ['https://json-schema.org/draft/2019-09/meta/core', s2019core],
  ['https://json-schema.org/draft/2019-09/meta/format', s2019format],
  ['https://json-schema.org/draft/2019-09/meta/meta-data', s2019metaData],
  ['https://json-schema.org/draft/2019-09/meta/validation', s2019validation],
  ['https://json-schema.org/draft/2020-12/schema', s2020],
  ['https://json-schema.org/draft/2020-12/meta/applicator', s2020applicator],
  ['https://json-schema.org/draft/2020-12/meta/content', s2020content],
  ['https://json-schema.org/draft/2020-12/meta/core', s2020core],
  ['https://json-schema.org/draft/2020-12/meta/format-annotation', s2020format],
  ['https://json-schema.org/draft/2020-12/meta/meta-data', s2020metaData],
  ['https://json-schema.org/draft/2020-12/meta/unevaluated', s2020unevaluated],
  ['https://json-schema.org/draft/2020-12/meta/validation', s2020validation],
]);
