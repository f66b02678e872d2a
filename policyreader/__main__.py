"""``python -m policyreader``: the same command line as the ``policyreader`` script."""
import sys

from .cli import main

sys.exit(main(prog="python -m policyreader"))
