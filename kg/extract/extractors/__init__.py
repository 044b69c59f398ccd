"""Pipeline components. Every module here registers its components on import."""
