"""Exports of the rich A4 (Markdown now; PDF and DOCX with the app)."""
