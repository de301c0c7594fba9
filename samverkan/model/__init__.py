"""Reading and validating agreements: YAML in, a validated :class:`~.models.Agreement` out."""
