-- The index of an id's usages gains their subject, version and deleted flag: an id's listings
-- page in subject order, and whether a caller with subject-prefix grants may read it is a range
-- seek, both from the index alone (src/services/usages.ts). Queries on (context, schema_id) use it too.
DROP INDEX `versions_schema`;--> statement-breakpoint
CREATE INDEX `versions_schema` ON `versions` (`context`,`schema_id`,`subject`,`version`,`deleted`);