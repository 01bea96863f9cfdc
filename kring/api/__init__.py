"""The HTTP API for referrers, funders and the office (issue 17 §4)."""
