import Testing

// Placeholder: this target receives its suites with its module (see the module README).
@Test func targetBuilds() {}
