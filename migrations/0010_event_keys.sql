ALTER TABLE `events` ADD `kek` text;--> statement-breakpoint
ALTER TABLE `events` ADD `algorithm` text;