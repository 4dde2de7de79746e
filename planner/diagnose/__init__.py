"""Why no plan exists, in domain words."""
