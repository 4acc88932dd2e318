"""Operating the intranet: commands for the people who run it (backup)."""
