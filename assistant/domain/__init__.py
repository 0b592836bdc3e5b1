"""The domain: perspectives, the session and its A4, shared beelden. Imports nothing above."""
