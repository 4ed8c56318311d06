"""The workflow tests run against a real Temporal dev server."""

from tests.workflows.temporal_fixtures import client, temporal_server

__all__ = ["client", "temporal_server"]
