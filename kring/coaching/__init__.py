"""Coaching notes, regional meetings and study days, lapsing conditions, the coordinator
overview (issue 14 §3-4)."""
