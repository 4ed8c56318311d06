"""Persistence: SQLAlchemy 2 (async) on SQLite by default or PostgreSQL, schema owned by Alembic."""
