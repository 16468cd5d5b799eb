"""The site: the glue between the pipeline and the engines that build it.

`build` gathers a site's inputs and builds it (MkDocs in this process, atomically), `plugin` is the
MkDocs plugin, `zensical` builds the same pages with Zensical, `parts` is what both engines share and
`folder` decides which folders a build may replace."""
