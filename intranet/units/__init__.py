"""A unit's page: its staff and their VNeID status, for the head and the admin."""
