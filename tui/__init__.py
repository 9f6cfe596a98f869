"""The caseworker TUI (Textual): ``companion tui``."""
