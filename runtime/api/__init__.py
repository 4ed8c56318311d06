"""The HTTP edge: TMF Open API v4 routes on Litestar, one error rendering, one auth scheme."""
