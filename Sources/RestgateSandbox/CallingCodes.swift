import Foundation
import RestgateHTTP
import RestgateJSON
import RestgateServer

/// Dial codes for the ISO 3166-1 alpha-2 codes the sandbox knows; output is 00-prefixed.
enum CallingCodes {
    static let byCountry: [String: String] = [
        "DK": "0045", "NO": "0047", "SE": "0046", "FI": "00358", "IS": "00354", "DE": "0049", "NL": "0031", "GB": "0044",
        "FR": "0033", "ES": "0034", "PL": "0048", "US": "001",
    ]

    static func dialCode(for input: String) throws(SandboxError) -> String {
        guard input.count == 2, input.allSatisfy({ $0.isLetter && $0.isUppercase }) else {
            throw SandboxError("contactPerson.callingCode must be an ISO 3166-1 alpha-2 country code such as \"DK\"; got \"\(input)\".")
        }
        guard let code = byCountry[input] else {
            throw SandboxError("contactPerson.callingCode \"\(input)\" is not a country the bank supports.")
        }
        return code
    }
}
