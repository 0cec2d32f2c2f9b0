import EvoformCore
import Testing

/// The test-only JSON Schema validator must itself be right, or the schema tests prove nothing.
@Suite struct JSONSchemaValidatorTests {
    func valid(_ instance: JSONValue, _ schema: JSONValue) -> Bool {
        JSONSchemaValidator(root: schema).isValid(instance)
    }

    @Test func typeAcceptsOneNameOrAList() {
        #expect(valid("x", ["type": "string"]))
        #expect(!valid(1, ["type": "string"]))
        #expect(valid(.null, ["type": ["string", "null"]]))
        #expect(!valid(true, ["type": ["string", "null"]]))
        #expect(valid(.object([:]), ["type": "object"]))
        #expect(valid([], ["type": "array"]))
    }

    @Test func integerMeansAWholeNumberWrittenAnyWay() {
        #expect(valid(.number(30), ["type": "integer"]))
        #expect(valid(.number(3.0e1), ["type": "integer"]))
        #expect(!valid(.number(2.5), ["type": "integer"]))
        #expect(valid(.number(2.5), ["type": "number"]))
        #expect(!valid("3", ["type": "integer"]))
    }

    @Test func propertiesRequiredAndAdditionalProperties() {
        let schema: JSONValue = [
            "type": "object", "properties": ["a": ["type": "boolean"]], "required": ["a"],
            "additionalProperties": false,
        ]
        #expect(valid(["a": true], schema))
        #expect(!valid(["a": "yes"], schema))
        #expect(!valid(.object([:]), schema))
        #expect(!valid(["a": true, "b": 1], schema))
        #expect(valid(["a": true, "b": 1], ["properties": ["a": ["type": "boolean"]], "additionalProperties": ["type": "number"]]))
        #expect(!valid(["a": true, "b": "x"], ["properties": ["a": ["type": "boolean"]], "additionalProperties": ["type": "number"]]))
    }

    @Test func enumComparesJSONValues() {
        #expect(valid("v1", ["enum": ["auto", "v1"]]))
        #expect(!valid("v3", ["enum": ["auto", "v1"]]))
        #expect(valid(.null, ["enum": ["x", .null]]))
        #expect(valid(.number(1.0), ["enum": [1]]))
    }

    @Test func patternSearchesUnlessAnchored() {
        #expect(valid("abc", ["pattern": "b"]))
        #expect(!valid("abc", ["pattern": "^b"]))
        #expect(valid(1, ["pattern": "^b"]), "pattern applies to strings only")
    }

    @Test func minimumAndMaximumApplyToNumbersOnly() {
        #expect(valid(.number(1), ["minimum": 1]))
        #expect(!valid(.number(0), ["minimum": 1]))
        #expect(!valid(.number(11), ["maximum": 10]))
        #expect(valid("0", ["minimum": 1]))
    }

    @Test func itemsAndUniqueItems() {
        let schema: JSONValue = ["items": ["enum": ["A", "B"]], "uniqueItems": true]
        #expect(valid(["A", "B"], schema))
        #expect(!valid(["A", "C"], schema))
        #expect(!valid(["A", "A"], schema))
        #expect(valid(["A", "A"], ["items": ["enum": ["A"]], "uniqueItems": false]))
    }

    @Test func anyOfOneOfAllOf() {
        let branches: JSONValue = [["type": "string"], ["pattern": "^a"]]
        #expect(valid("b", ["anyOf": branches]))
        #expect(!valid(.number(1.5), ["anyOf": [["type": "string"], ["type": "null"]]]))
        #expect(!valid("a", ["oneOf": branches]), "both branches match")
        #expect(valid("b", ["oneOf": branches]))
        #expect(valid("a", ["allOf": branches]))
        #expect(!valid("b", ["allOf": branches]))
    }

    @Test func refResolvesIntoDefs() {
        let schema: JSONValue = ["$defs": ["name": ["type": "string"]], "items": ["$ref": "#/$defs/name"]]
        #expect(valid(["x"], schema))
        #expect(!valid([1], schema))
        #expect(!valid(["x"], ["items": ["$ref": "#/$defs/missing"]]))
    }

    @Test func aKeywordItDoesNotKnowIsAnError() {
        #expect(!valid("x", ["minLength": 1]))
        #expect(valid("x", ["description": "annotations are fine", "title": "t"]))
        #expect(!valid("x", false))
        #expect(valid("x", true))
    }
}
