"""The emulator's HTTP layer: request decoding, routing and one handler module per resource family."""
