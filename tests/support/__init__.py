"""What the tests and the scripts share: servers (slapd, PostgreSQL, Redis, nginx, the app under
gunicorn, SMTP, Chromium) and what they have in common (process.py), the LDIF builder, data
factories, forms and pages driven as a browser would, and the SQL statement counter."""
