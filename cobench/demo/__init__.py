"""The demo partnership that `cobench demo` loads."""
