"""Email reminders: staff not on level 2, heads with notices awaiting them, the admin's month."""
