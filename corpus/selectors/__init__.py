"""Domain reads: search and the actor network, as plain functions returning rows that the API renders."""
