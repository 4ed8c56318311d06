"""Alembic environment: runs on the connection the application hands over (see Database.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from runtime.db.models import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:
    # Command-line use (`alembic revision --autogenerate`): a plain synchronous URL from the config.
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as sync_connection:
        context.configure(connection=sync_connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
