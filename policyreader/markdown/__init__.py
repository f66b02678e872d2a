"""The annotated Markdown dialect: parser (markdown-it-py + plugins) and the reader's renderer rules."""
