"""A staff member's explanation (giải trình) of a notice about them, before the reply deadline."""
