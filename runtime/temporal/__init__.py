"""The Temporal adapter: client, embedded dev server, the orchestrator port's implementation, the worker."""
