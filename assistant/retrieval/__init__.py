"""Hybrid retrieval (BM25 with a Dutch stemmer plus dense vectors in Chroma)."""
