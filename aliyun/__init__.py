"""Top-level ``aliyun`` package (kept a regular package, as users of the official SDK expect)."""
