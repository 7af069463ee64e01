"""A bench-only site: the production settings plus two baseline views, never deployed."""
