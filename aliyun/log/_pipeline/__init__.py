"""The send path: endpoint parsing, retry policy, and the request sender."""
