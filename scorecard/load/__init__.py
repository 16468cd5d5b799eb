"""Load: the one place that reads files. YAML with positions (`reader`), the initiative files of a folder
(`discover`), and business units as the files name them (`units`)."""
