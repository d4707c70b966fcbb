-- Guids derived from content, as Confluent's (src/domain/guid.ts): the same schema in two contexts
-- has one guid, so the index on guid is no longer unique. Rows stored before keep their random guid
-- (messages may already carry it); GET /schemas/guids/{guid} finds either kind.
DROP INDEX `schemas_guid`;--> statement-breakpoint
CREATE INDEX `schemas_guid` ON `schemas` (`guid`);