import EvoformCore

/// What to record for an instance that exists on the server but whose creation evoform did not
/// see finish (a lost response) or that the user imports: the server's view of the fields the
/// manifest manages, so the next plan shows only real differences.
public enum Adoption {
    public static func configuration(
        desired: DesiredInstance?, observed: ObservedInstance, fingerprinter: SecretFingerprinter
    ) -> InstanceConfiguration {
        let current = observed.comparable(using: fingerprinter)
        guard let desired else { return current }
        let wanted = desired.comparable(using: fingerprinter)
        var adopted = InstanceConfiguration()
        for field in wanted.fields where field.group != .createOnly {
            // A secret the server does not report: the one sent is the best knowledge there is.
            adopted[field] = current[field] ?? (field.isSecret ? wanted[field] : nil)
        }
        if let qrcode = wanted[.qrcode] { adopted[.qrcode] = qrcode }
        return adopted
    }
}
