"""The questionnaire after every conference and its results (issue 14 §5)."""
