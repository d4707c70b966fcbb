-- References in one normal form (docs/storage.md): refs.ref_subject holds the bare subject inside
-- the referring schema's context. Rows written before this migration hold the name as the client
-- wrote it, so a reference written qualified (':.t:typ', ':.:typ') was invisible to referencedby and
-- to the delete guards. Strip a qualifier that names the row's own context (references into another
-- context were always refused). src/storage/snapshot.ts runs the same statement after a restore.
UPDATE `refs` SET `ref_subject` = substr(`ref_subject`, instr(substr(`ref_subject`, 2), ':') + 2)
WHERE `ref_subject` LIKE ':.%:%'
  AND substr(`ref_subject`, 2, instr(substr(`ref_subject`, 2), ':') - 1) = `context`;
