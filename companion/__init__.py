"""companion: a conversation companion for Norwegian child welfare services (barnevern)."""

__version__ = "0.1.0"
