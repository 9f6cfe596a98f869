"""Screens of the caseworker TUI, one per module."""
