"""Users, their sessions' accounts and API tokens."""
