"""What can go wrong when asking the graph: one exception class per kind, so the CLI
and the server can each say it their way (an ``error:`` line, an HTTP status).
"""
from __future__ import annotations

# --------------------------------------------------------------------------
# Errors


class SparqlError(Exception):
    """Base class of the errors a user can act on; ``str()`` is the message."""


class QuerySyntaxError(SparqlError):
    """The parser rejected the query; the message has the line and column."""


class QueryRefused(SparqlError):
    """A well-formed request this read-only engine will not run (update, SERVICE)."""


class ParameterError(SparqlError):
    """A ``--param`` that the query does not have, or whose value does not fit its type."""


class QueryTimeout(SparqlError):
    """The query ran past the time limit and was stopped."""


class GraphError(SparqlError):
    """The graph file or store is missing or cannot be read."""


class EngineBusy(SparqlError):
    """Every worker stayed busy for longer than the time limit."""


class QueryFailed(SparqlError):
    """The query was valid but its evaluation failed."""
