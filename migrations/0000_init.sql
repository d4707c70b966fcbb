CREATE TABLE `configs` (
	`context` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	PRIMARY KEY(`context`, `subject`)
);
--> statement-breakpoint
CREATE TABLE `contexts` (
	`context` text PRIMARY KEY NOT NULL,
	`next_id` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `modes` (
	`context` text NOT NULL,
	`subject` text NOT NULL,
	`mode` text NOT NULL,
	PRIMARY KEY(`context`, `subject`)
);
--> statement-breakpoint
CREATE TABLE `refs` (
	`context` text NOT NULL,
	`schema_id` integer NOT NULL,
	`name` text NOT NULL,
	`ref_subject` text NOT NULL,
	`ref_version` integer NOT NULL,
	PRIMARY KEY(`context`, `schema_id`, `name`)
);
--> statement-breakpoint
CREATE INDEX `refs_target` ON `refs` (`context`,`ref_subject`,`ref_version`);--> statement-breakpoint
CREATE TABLE `schemas` (
	`context` text NOT NULL,
	`id` integer NOT NULL,
	`guid` text NOT NULL,
	`hash` text NOT NULL,
	`schema_type` text NOT NULL,
	`schema` text NOT NULL,
	`refs` text DEFAULT '[]' NOT NULL,
	`metadata` text,
	`rule_set` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	PRIMARY KEY(`context`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `schemas_hash` ON `schemas` (`context`,`hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `schemas_guid` ON `schemas` (`guid`);--> statement-breakpoint
CREATE TABLE `versions` (
	`context` text NOT NULL,
	`subject` text NOT NULL,
	`version` integer NOT NULL,
	`schema_id` integer NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	PRIMARY KEY(`context`, `subject`, `version`)
);
--> statement-breakpoint
CREATE INDEX `versions_schema` ON `versions` (`context`,`schema_id`);