CREATE TABLE `associations` (
	`guid` text PRIMARY KEY NOT NULL,
	`resource_name` text NOT NULL,
	`resource_namespace` text NOT NULL,
	`resource_id` text NOT NULL,
	`resource_type` text NOT NULL,
	`association_type` text NOT NULL,
	`context` text NOT NULL,
	`subject` text NOT NULL,
	`lifecycle` text NOT NULL,
	`frozen` integer DEFAULT 0 NOT NULL,
	`create_ts` integer NOT NULL,
	`update_ts` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `associations_resource_id` ON `associations` (`resource_id`,`resource_type`,`association_type`);--> statement-breakpoint
CREATE UNIQUE INDEX `associations_key` ON `associations` (`resource_name`,`resource_namespace`,`resource_type`,`association_type`,`context`,`subject`);--> statement-breakpoint
CREATE INDEX `associations_subject` ON `associations` (`context`,`subject`);--> statement-breakpoint
CREATE INDEX `associations_namespace` ON `associations` (`resource_namespace`,`resource_name`);