-- Two indexes gain the columns their queries read, so both are seeks that read only their rows
-- (src/storage/registry-reader.ts): the ids referencing a version come in id order from
-- refs_target (referencedby pages them; a delete checks for one without reading the context's
-- other references), and an id's usages in subject order from versions_schema (its listings page,
-- and whether a caller with subject-prefix grants may read it is a seek per prefix).
DROP INDEX `refs_target`;--> statement-breakpoint
CREATE INDEX `refs_target` ON `refs` (`context`,`ref_subject`,`ref_version`,`schema_id`);--> statement-breakpoint
DROP INDEX `versions_schema`;--> statement-breakpoint
CREATE INDEX `versions_schema` ON `versions` (`context`,`schema_id`,`subject`,`version`,`deleted`);