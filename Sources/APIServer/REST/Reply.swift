import Foundation
import Hummingbird

/// A handler's answer before it becomes an HTTP response, so `composite` can read a subrequest's
/// status and JSON body.
struct Reply: Sendable {
    enum Body: Sendable {
        case empty
        case json(JSON)
        /// JSON already written as UTF-8 (query pages, written straight from the records).
        case jsonBytes([UInt8])
        /// Text with its content type (SOAP XML, Bulk CSV).
        case text(String, contentType: String)
    }

    var status: HTTPResponse.Status
    var headers: HTTPFields = HTTPFields()
    var body: Body

    static let jsonContentType = "application/json;charset=UTF-8"

    static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Reply {
        Reply(status: status, body: .json(value))
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Reply {
        Reply(status: status, body: .text(text, contentType: contentType))
    }

    static let noContent = Reply(status: .noContent, body: .empty)

    static func error(_ error: APIError) -> Reply { json(error.body, status: error.status) }

    /// The JSON body, if any (for `composite`).
    var json: JSON? {
        switch body {
        case .json(let value): return value
        case .jsonBytes(let bytes): return try? JSON.parse(Data(bytes))
        default: return nil
        }
    }

    var response: Response {
        var headers = headers
        switch body {
        case .empty:
            return Response(status: status, headers: headers)
        case .json(let value):
            headers[.contentType] = Self.jsonContentType
            return Response(
                status: status, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: value.text)))
        case .jsonBytes(let bytes):
            headers[.contentType] = Self.jsonContentType
            return Response(
                status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .text(let text, let contentType):
            headers[.contentType] = contentType
            return Response(
                status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
