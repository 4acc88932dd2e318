"""The organisation department's pages: staff and units from the directory, and the sync."""
