"""Signing in and out with the directory account."""
