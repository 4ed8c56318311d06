#!/usr/bin/env bash
# Until the first public release, the schema is one initial migration, regenerated from the models.
# After a release, add new revisions instead (`alembic revision --autogenerate`), never edit old ones.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/alembic.ini" <<INI
[alembic]
script_location = $PWD/runtime/migrations
sqlalchemy.url = sqlite:///$tmp/autogen.db
INI
rm -f runtime/migrations/versions/0001_initial_schema.py
# Start from an empty database: the append-only trigger revision depends on the initial one.
mv runtime/migrations/versions/0002_audit_append_only.py "$tmp/"
.venv/bin/alembic -c "$tmp/alembic.ini" revision --autogenerate -m "initial schema" --rev-id 0001 >/dev/null
mv "$tmp/0002_audit_append_only.py" runtime/migrations/versions/
.venv/bin/ruff format runtime/migrations/versions >/dev/null
.venv/bin/ruff check --fix runtime/migrations/versions >/dev/null || true
echo "regenerated runtime/migrations/versions/0001_initial_schema.py"
