"""The site's pages: articles, glossary, home, search index, hosting extras (sitemap, feeds)."""
