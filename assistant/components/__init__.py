"""Swappable components, each built from settings by one plain function."""
