"""Pure domain rules of the 1+N key-account service model. Never imports Qt or SQLAlchemy."""
