"""The package's default site templates (pages, assets, Material overrides, docs): data, installed from the
repository's top-level site_templates/ (see pyproject.toml). A portfolio's own site_templates/ overrides them file by
file (`scorecard.render.templates`)."""
