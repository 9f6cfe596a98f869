"""The caseworker TUI (see the open issue «Caseworker TUI»)."""
