// Placeholder until the module's first file lands; see README.md.
