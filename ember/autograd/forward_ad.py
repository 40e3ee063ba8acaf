"""Forward-mode AD is not part of ember yet; the module exists so imports resolve."""
