"""Validated inputs: YAML with line numbers, site configuration, seeds and sidecars, the glossary."""
