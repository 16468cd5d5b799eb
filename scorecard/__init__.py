"""scorecard: turn a company's AI initiatives into a published, monthly scorecard."""

__version__ = "0.1.0"
