"""The shop database: one SQLite file per shop, the single source of truth."""
