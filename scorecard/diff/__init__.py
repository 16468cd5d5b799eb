"""The pull-request check: what the changed initiative files do to the scorecard (`scorecard diff`)."""
