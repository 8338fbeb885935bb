"""Views of the strategy app, one module per page family."""
