"""The admin's compliance pages: per-unit VNeID level-2 figures by month, chart, report, files."""
