package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxDepth bounds the nesting of a policy document. The deepest legitimate
// policy is five levels (document, Statement array, statement, Condition,
// operator block, value array); anything much deeper is an attack.
const maxDepth = 32

// kind is the JSON type of a node.
type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

func (k kind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

// node is one JSON value with its byte span in the source, so findings and
// the simulator's statement positions can point into the document.
type node struct {
	kind    kind
	text    string // string value, number literal, or "true"/"false"
	items   []*node
	members []member // object members in document order
	start   int
	end     int
}

type member struct {
	key   string
	value *node
}

// get returns the member named key, or nil.
func (n *node) get(key string) *node {
	for _, m := range n.members {
		if m.key == key {
			return m.value
		}
	}
	return nil
}

// jsonError is a document that is not strict JSON. Duplicate object keys are
// such an error: a reviewer reading the first "Effect" must see what is
// enforced, so Warden refuses the document rather than take either value.
type jsonError struct {
	msg    string
	offset int64
}

func (e *jsonError) Error() string { return e.msg }

// parseJSON decodes data into a node tree. It rejects duplicate object keys,
// trailing data, and nesting deeper than maxDepth. Numbers keep their text.
func parseJSON(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &jsonParser{data: data, dec: dec}
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &jsonError{msg: "unexpected data after the document", offset: dec.InputOffset()}
	}
	return n, nil
}

type jsonParser struct {
	data []byte
	dec  *json.Decoder
}

func (p *jsonParser) value(depth int) (*node, error) {
	dec := p.dec
	if depth > maxDepth {
		return nil, &jsonError{msg: "the document is nested too deeply", offset: dec.InputOffset()}
	}
	start := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		return nil, wrapJSON(err, dec)
	}
	start = p.skipSeparators(start)
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			n := &node{kind: kindArray, start: int(start)}
			for dec.More() {
				item, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, item)
			}
			if _, err := dec.Token(); err != nil {
				return nil, wrapJSON(err, dec)
			}
			n.end = int(dec.InputOffset())
			return n, nil
		case '{':
			n := &node{kind: kindObject, start: int(start)}
			seen := make(map[string]struct{})
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, wrapJSON(err, dec)
				}
				key := kt.(string) // the decoder guarantees a string key here
				if _, dup := seen[key]; dup {
					return nil, &jsonError{msg: fmt.Sprintf("duplicate key %q", key), offset: dec.InputOffset()}
				}
				seen[key] = struct{}{}
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.members = append(n.members, member{key: key, value: v})
			}
			if _, err := dec.Token(); err != nil {
				return nil, wrapJSON(err, dec)
			}
			n.end = int(dec.InputOffset())
			return n, nil
		}
		return nil, &jsonError{msg: "unexpected " + t.String(), offset: dec.InputOffset()}
	case string:
		return &node{kind: kindString, text: t, start: int(start), end: int(dec.InputOffset())}, nil
	case json.Number:
		return &node{kind: kindNumber, text: t.String(), start: int(start), end: int(dec.InputOffset())}, nil
	case bool:
		text := "false"
		if t {
			text = "true"
		}
		return &node{kind: kindBool, text: text, start: int(start), end: int(dec.InputOffset())}, nil
	default: // nil
		return &node{kind: kindNull, start: int(start), end: int(dec.InputOffset())}, nil
	}
}

// skipSpace moves a token's start offset past the separators (white space,
// ':' and ',') that the decoder had not consumed when the offset was read.
func (p *jsonParser) skipSeparators(off int64) int64 {
	for off < int64(len(p.data)) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

func wrapJSON(err error, dec *json.Decoder) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return &jsonError{msg: syn.Error(), offset: syn.Offset}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &jsonError{msg: "unexpected end of the document", offset: dec.InputOffset()}
	}
	return &jsonError{msg: err.Error(), offset: dec.InputOffset()}
}
