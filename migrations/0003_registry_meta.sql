CREATE TABLE `registry_meta` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE TABLE `write_guard` (
	`restore_in_progress` integer NOT NULL
);
