import EvoformCore

/// `evoform qr NAME`: a fresh pairing QR code for an instance.
struct QRCommand: Command {
    static let name = "qr"
    static let abstract = "Fetch a fresh pairing QR code for an instance and write it as a PNG."
    static let synopsis = "NAME [-f FILE] [--state PATH]"
    static let discussion = """
        Asks the server for a new QR code (GET /instance/connect/NAME), writes it to
        qrcodes/NAME.png beside the state file, and on a terminal draws it so WhatsApp can scan it
        (Settings > Linked devices). An instance that is already paired says so.
        """
    static let options: [OptionSpec] = [CommonOptions.noColor] + FleetSession.options

    static func run(_ arguments: ParsedArguments, in context: CommandContext) async throws -> ExitStatus {
        guard arguments.positionals.count == 1, let raw = arguments.positionals.first else {
            throw UsageError("qr takes exactly one instance NAME", command: name)
        }
        let session = try await FleetSession.open(
            arguments, in: context, operation: "qr", contactServer: true, listsInstances: false)
        defer { session.close() }
        let instance = InstanceName(raw)
        guard let qr = try await session.client.connect(instance) else {
            context.standardOutput.line("\(instance): already connected (paired); no QR code needed.")
            return .success
        }
        guard qr.code != nil || qr.pngData != nil else {
            context.standardOutput.line("\(instance): the server has no QR code yet; try again in a few seconds.")
            return .failure
        }
        QRCodeOutput.write(
            name: instance, code: qr.code, png: qr.pngData.map(Array.init), directory: session.qrCodeDirectory,
            output: context.standardOutput, draw: context.standardOutput.isTerminal, json: false)
        return .success
    }
}
