CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`context` text,
	`subject_prefix` text,
	`types` text,
	`secret` text NOT NULL,
	`created_at` integer NOT NULL
);
