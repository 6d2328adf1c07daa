"""One module per page, each with ``render()``: widgets in, calls to the services, results out."""
