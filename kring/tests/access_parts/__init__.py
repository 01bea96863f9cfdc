"""Rows of the access table for the pages of later apps, one module per app: each has
``ROWS: dict[str, Row]`` and ``build(world, mine, theirs)`` (see test_access.py)."""
