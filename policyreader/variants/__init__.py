"""Scripts: Simplified as written, Traditional through OpenCC with the site's overrides, and the review."""
