"""The report stage: the typed result of the scorecard (`model`), built from the computed facts (`build`) and
read back from an earlier `scorecard.json` (`read`)."""
