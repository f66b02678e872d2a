"""``python -m policyreader``: the same command line as the ``policyreader`` script."""
from .cli import console

console(prog="python -m policyreader")
