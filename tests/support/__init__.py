"""What the tests and the scripts share: servers (slapd, PostgreSQL, Chromium), the LDIF
builder, data factories and the SQL statement counter."""
