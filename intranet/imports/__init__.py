"""Importing the province's monthly list of paper dossiers: read, match to staff, preview, confirm."""
