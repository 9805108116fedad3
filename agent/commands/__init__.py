"""One module per `schoolnet` verb; each exposes a click command named ``cli``."""
