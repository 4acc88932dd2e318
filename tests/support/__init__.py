"""What the tests and the scripts share: servers (slapd, PostgreSQL, Redis, nginx, the app under
gunicorn, Chromium), the LDIF builder, data factories and the SQL statement counter."""
