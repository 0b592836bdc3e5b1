"""The curated corpus: records built from the source texts in `corpus/sources/`."""
