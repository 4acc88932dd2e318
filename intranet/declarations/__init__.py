"""Employees' self-declarations of their VNeID level-2 status."""
