"""Durable storage of reflection sessions."""
