CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`type` text NOT NULL,
	`context` text,
	`subject` text,
	`version` integer,
	`schema_id` integer,
	`actor` text NOT NULL
);
