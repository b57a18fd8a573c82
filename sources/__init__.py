"""One module per API; ``registry`` lists them, ``http`` builds their clients."""
