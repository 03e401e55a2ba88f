"""The alumni programme's pages, one module per screen."""
