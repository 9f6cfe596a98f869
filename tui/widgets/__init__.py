"""Widgets of the caseworker TUI, one per module."""
