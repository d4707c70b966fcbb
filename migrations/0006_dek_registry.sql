CREATE TABLE `deks` (
	`context` text NOT NULL,
	`kek_name` text NOT NULL,
	`subject` text NOT NULL,
	`algorithm` text NOT NULL,
	`version` integer NOT NULL,
	`encrypted_key_material` text NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`ts` integer NOT NULL,
	PRIMARY KEY(`context`, `kek_name`, `subject`, `algorithm`, `version`)
);
--> statement-breakpoint
CREATE INDEX `deks_kek` ON `deks` (`kek_name`);--> statement-breakpoint
CREATE TABLE `keks` (
	`name` text PRIMARY KEY NOT NULL,
	`kms_type` text NOT NULL,
	`kms_key_id` text NOT NULL,
	`kms_props` text DEFAULT '{}' NOT NULL,
	`doc` text,
	`shared` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`ts` integer NOT NULL
);
