"""Validate: the schema and the semantic checks of every initiative file, each finding one `Problem`.

`run` validates files and folders (in parallel, with a cache), `checks` holds the semantic checks and
`schema_errors` turns pydantic's errors into problems at their YAML line."""
