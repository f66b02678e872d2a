#!/usr/bin/env python3
"""This repository's entry: ``python3 build.py`` builds the site in this folder (``--help`` explains)."""
from pathlib import Path

from policyreader.cli import console

if __name__ == "__main__":
    console(prog="build.py", default_root=Path(__file__).resolve().parent)
