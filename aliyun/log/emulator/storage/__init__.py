"""Durable storage of the emulator: metadata documents and shard logs."""
