CREATE TABLE `subject_counts` (
	`context` text PRIMARY KEY NOT NULL,
	`subjects` integer NOT NULL
);
--> statement-breakpoint
-- The counts of the subjects stored before this migration.
INSERT INTO `subject_counts` (`context`, `subjects`) SELECT `context`, COUNT(DISTINCT `subject`) FROM `versions` GROUP BY `context`;
--> statement-breakpoint
-- A subject comes into being with its first version row (triggers fire per row, so a multi-row
-- INSERT of two versions of one new subject counts it once: the second row finds the first).
CREATE TRIGGER `subject_counts_insert` AFTER INSERT ON `versions`
WHEN NOT EXISTS (SELECT 1 FROM `versions` WHERE `context` = NEW.`context` AND `subject` = NEW.`subject` AND `version` <> NEW.`version`)
BEGIN
	INSERT INTO `subject_counts` (`context`, `subjects`) VALUES (NEW.`context`, 1)
	ON CONFLICT (`context`) DO UPDATE SET `subjects` = `subjects` + 1;
END;
--> statement-breakpoint
-- ... and is gone with its last one (a hard delete; a soft delete keeps the row).
CREATE TRIGGER `subject_counts_delete` AFTER DELETE ON `versions`
WHEN NOT EXISTS (SELECT 1 FROM `versions` WHERE `context` = OLD.`context` AND `subject` = OLD.`subject`)
BEGIN
	UPDATE `subject_counts` SET `subjects` = `subjects` - 1 WHERE `context` = OLD.`context`;
END;
