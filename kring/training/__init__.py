"""The coordinator's path: application, training groups, stages, certificate (issue 14 §1-2)."""
