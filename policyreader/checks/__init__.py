"""Checks over the built site: every link names a file that exists."""
