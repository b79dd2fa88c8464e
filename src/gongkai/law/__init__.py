"""Rules from the statute (framework-free)."""
