"""New files from templates: a whole portfolio (`scorecard init`, `portfolio`) and one initiative
(`scorecard new`, `starter`)."""
