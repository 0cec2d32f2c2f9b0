import EvoformCLI
import Foundation

let status = await Evoform.main(arguments: Array(CommandLine.arguments.dropFirst()), context: .process())
exit(status.rawValue)
