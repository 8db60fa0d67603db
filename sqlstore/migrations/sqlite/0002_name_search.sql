-- Name search moves to a full-text index: one row per person record and per
-- name variant record, keyed by the record's rowid, holding the record's
-- folded name words. FTS5 buffers a transaction's words and writes them as
-- one segment, where the token table it replaces took a random B-tree
-- insert per word: at a million persons that was the import's largest cost.
DROP TABLE name_tokens;

CREATE VIRTUAL TABLE name_search USING fts5 (
    person_id UNINDEXED,
    words,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
