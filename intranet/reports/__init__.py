"""The monthly report on VNeID level 2 (web page, Word file) and the settings it prints."""
