#!/usr/bin/env python3
"""Build the annotated policy reader: ``python build.py --help`` explains the commands."""
import sys

from policyreader.cli import main

if __name__ == "__main__":
    sys.exit(main())
