"""LogClient's building blocks: the shared core and one mixin per resource family."""
