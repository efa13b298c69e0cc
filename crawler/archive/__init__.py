"""The raw web archive: every response kept in WARC files, read back for reparse and replay."""
