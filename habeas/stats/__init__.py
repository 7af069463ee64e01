"""Statistics: what the organisation publishes and counts, from the anonymous envelope only."""
