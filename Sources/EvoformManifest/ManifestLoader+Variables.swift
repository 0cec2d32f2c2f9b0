extension ManifestLoader {
    /// The environment variables a manifest's text reads without a default (`${VAR}`, not
    /// `${VAR:-x}`), in order of first appearance. For the demo and tests, which supply them.
    /// Text that is not valid interpolation yields the names found before the fault.
    public static func variablesWithoutDefault(in text: String) -> [String] {
        var names: [String] = []
        for line in text.split(separator: "\n") {
            guard let missing = try? Interpolation.expand(String(line), environment: [:]).missing else { continue }
            for name in missing where !names.contains(name) { names.append(name) }
        }
        return names
    }
}
