-- PostOffice JDBC store, schema version 3 (H2): an entry's creation is recorded in its own row.
-- born_status is the status the entry was created with and born_detail the detail of that record (a duplicate's
-- "duplicate of ...", or the detail of the move of an output stored finished). The store reads an entry's
-- creation records (null -> JUST_IN, and JUST_IN -> born_status for an output stored finished; null -> DUPLICATE
-- for a duplicate) from these columns, and only later changes from the history table: a message through four
-- layers writes three history rows instead of nine. Entries written before this version have both columns NULL
-- and keep their creation records in the history table, where the store still reads them.
ALTER TABLE ${prefix}entry ADD COLUMN IF NOT EXISTS born_status VARCHAR(16);
ALTER TABLE ${prefix}entry ADD COLUMN IF NOT EXISTS born_detail TEXT;
