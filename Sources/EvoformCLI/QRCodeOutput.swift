import EvoformCore
import EvoformRendering
import Foundation

/// Where a pairing QR code goes: a PNG beside the state (`state/qrcodes/NAME.png`), and on a
/// terminal a drawing of the `code` string that WhatsApp can scan.
enum QRCodeOutput {
    static func write(
        name: InstanceName, code: String?, png: [UInt8]?, directory: URL, output: TextSink, draw: Bool, json: Bool
    ) {
        if let png { save(name: name, png: png, directory: directory, output: output, json: json) }
        if draw, let code, let matrix = try? QREncoder.encode(code, level: .low) {
            output.line("\(name): scan this with WhatsApp (Settings > Linked devices > Link a device):")
            output.write(QRTerminalRenderer().render(matrix))
        }
    }

    private static func save(name: InstanceName, png: [UInt8], directory: URL, output: TextSink, json: Bool) {
        let file = directory.appendingPathComponent("\(name.rawValue).png")
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Data(png).write(to: file, options: .atomic)
            if json {
                output.line(JSONValue.object(["type": "qrcode_file", "instance": .string(name.rawValue), "path": .string(file.path)]).canonicalText)
            } else {
                output.line("\(name): QR code written to \(file.path)")
            }
        } catch {
            output.line("\(name): could not write the QR code to \(file.path): \(error.localizedDescription)")
        }
    }
}
