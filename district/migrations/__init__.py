"""Alembic migrations of the district store (run with `schoolnet-district migrate`)."""
