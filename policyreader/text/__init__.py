"""Text facts shared by every stage: the Han character range, names and slugs, term matching."""
