"""Policy reader: Chinese policy articles in, an annotated reading site out."""
