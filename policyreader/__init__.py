"""Policy reader: Chinese policy articles in, an annotated reading site out."""

__version__ = "0.1.0"
