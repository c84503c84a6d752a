package sigv4

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// param is one query parameter; its decoded and SigV4-encoded key and value
// are stored as offsets into scratch.q (offsets survive reallocation).
type param struct {
	dk0, dk1, dv0, dv1 int // decoded
	ek0, ek1, ev0, ev1 int // encoded for the canonical query string
}

func (s *scratch) key(p param) []byte    { return s.q[p.dk0:p.dk1] }
func (s *scratch) value(i int) string    { p := s.params[i]; return string(s.q[p.dv0:p.dv1]) }
func (s *scratch) encKey(p param) []byte { return s.q[p.ek0:p.ek1] }
func (s *scratch) encVal(p param) []byte { return s.q[p.ev0:p.ev1] }

// parseQuery splits the raw query into parameters, decodes them
// ('+' is a space, as url.ParseQuery and the AWS SDKs read it), encodes them
// the SigV4 way and sorts them by encoded key, then encoded value.
func parseQuery(raw string, s *scratch) error {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		var p param
		var ok bool
		p.dk0 = len(s.q)
		if s.q, ok = appendUnescape(s.q, k); !ok {
			return errMalformedQuery()
		}
		p.dk1 = len(s.q)
		p.dv0 = p.dk1
		if s.q, ok = appendUnescape(s.q, v); !ok {
			return errMalformedQuery()
		}
		p.dv1 = len(s.q)
		p.ek0 = p.dv1
		s.q = appendEncoded(s.q, s.q[p.dk0:p.dk1], false)
		p.ek1 = len(s.q)
		p.ev0 = p.ek1
		s.q = appendEncoded(s.q, s.q[p.dv0:p.dv1], false)
		p.ev1 = len(s.q)
		s.params = append(s.params, p)
	}
	q := s.q
	slices.SortFunc(s.params, func(a, b param) int {
		if c := bytes.Compare(q[a.ek0:a.ek1], q[b.ek0:b.ek1]); c != 0 {
			return c
		}
		return bytes.Compare(q[a.ev0:a.ev1], q[b.ev0:b.ev1])
	})
	return nil
}

// queryAuth locates the presigned parameters (index into scratch.params, -1
// if absent).
type queryAuth struct {
	algorithm, credential, date, expires, signedHeaders, signature, token int
	dup                                                                   bool
}

func (qa queryAuth) any() bool { return qa.algorithm >= 0 || qa.credential >= 0 || qa.signature >= 0 }

func findQueryAuth(s *scratch) queryAuth {
	qa := queryAuth{-1, -1, -1, -1, -1, -1, -1, false}
	set := func(dst *int, i int) {
		if *dst >= 0 {
			qa.dup = true
		}
		*dst = i
	}
	for i, p := range s.params {
		k := s.key(p)
		if len(k) < 6 || string(k[:6]) != "X-Amz-" {
			continue
		}
		switch string(k) {
		case "X-Amz-Algorithm":
			set(&qa.algorithm, i)
		case "X-Amz-Credential":
			set(&qa.credential, i)
		case "X-Amz-Date":
			set(&qa.date, i)
		case "X-Amz-Expires":
			set(&qa.expires, i)
		case "X-Amz-SignedHeaders":
			set(&qa.signedHeaders, i)
		case "X-Amz-Signature":
			set(&qa.signature, i)
		case "X-Amz-Security-Token":
			set(&qa.token, i)
		}
	}
	return qa
}

// buildCanonical writes the canonical request into s.canon.
func buildCanonical(r *http.Request, rq *request, s *scratch, normalize bool) error {
	b := s.canon[:0]
	b = append(b, rq.method...)
	b = append(b, '\n')
	b = appendCanonicalPath(b, rq.rawPath, normalize)
	b = append(b, '\n')
	first := true
	for _, p := range s.params {
		if rq.presigned {
			k := s.key(p)
			if string(k) == "X-Amz-Signature" || (!rq.tokenSigned && string(k) == "X-Amz-Security-Token") {
				continue
			}
		}
		if !first {
			b = append(b, '&')
		}
		first = false
		b = append(b, s.encKey(p)...)
		b = append(b, '=')
		b = append(b, s.encVal(p)...)
	}
	b = append(b, '\n')
	var err error
	if e := rq.headers; e != nil && e.sh == rq.signedHeaders {
		for i, name := range e.list {
			if b, err = appendHeader(b, r, rq, name, e.keys[i]); err != nil {
				s.canon = b
				return err
			}
		}
	} else {
		for rest := rq.signedHeaders; rest != ""; {
			var name string
			name, rest, _ = strings.Cut(rest, ";")
			if b, err = appendHeader(b, r, rq, name, ""); err != nil {
				s.canon = b
				return err
			}
		}
	}
	b = append(b, '\n')
	b = append(b, rq.signedHeaders...)
	b = append(b, '\n')
	b = append(b, rq.payloadHash[:]...)
	s.canon = b
	return nil
}

// appendHeader writes "name:value1,value2\n" for one signed header; key is
// canonicalKey(name), or "" to work it out.
func appendHeader(b []byte, r *http.Request, rq *request, name, key string) ([]byte, error) {
	b = append(b, name...)
	b = append(b, ':')
	if name == "host" {
		host := r.Host
		if host == "" {
			if hs := r.Header["Host"]; len(hs) > 0 {
				host = hs[0]
			} else if r.URL != nil {
				host = r.URL.Host
			}
		}
		b = appendTrimmed(b, host)
		return append(b, '\n'), nil
	}
	var vals []string
	var ok bool
	if name == "x-amz-date" && len(rq.dateHeader) > 0 {
		vals, ok = rq.dateHeader, true // looked up already by parseHeaderForm
	} else {
		vals, ok = headerValues(r.Header, name, key)
	}
	if !ok {
		if name == "content-length" && r.ContentLength > 0 {
			b = strconv.AppendInt(b, r.ContentLength, 10)
			return append(b, '\n'), nil
		}
		return b, errSignedHeaderMissing(name)
	}
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendTrimmed(b, v)
	}
	return append(b, '\n'), nil
}

// headerValues finds a lower-case header name in h without allocating:
// first under its canonical MIME form (key, or worked out here if key is
// ""), then literally.
func headerValues(h http.Header, name, key string) ([]string, bool) {
	if key != "" {
		if vs, ok := h[key]; ok {
			return vs, true
		}
	} else if len(name) <= 128 {
		var buf [128]byte
		if vs, ok := h[string(appendCanonicalKey(buf[:0], name))]; ok {
			return vs, true
		}
	}
	vs, ok := h[name]
	return vs, ok
}

// canonicalKey returns the key a lower-case header name is first looked up
// under (see headerValues).
func canonicalKey(name string) string {
	if len(name) > 128 {
		return name
	}
	return string(appendCanonicalKey(nil, name))
}

// appendCanonicalKey appends the canonical MIME form of a lower-case header
// name: upper case at the start and after each '-'.
func appendCanonicalKey(b []byte, name string) []byte {
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if upper && 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b = append(b, c)
		upper = c == '-'
	}
	return b
}

// appendTrimmed appends v without leading and trailing spaces/tabs and with
// each run of spaces collapsed to one, as SigV4 canonical headers require.
func appendTrimmed(b []byte, v string) []byte {
	i, j := 0, len(v)
	for i < j && (v[i] == ' ' || v[i] == '\t') {
		i++
	}
	for j > i && (v[j-1] == ' ' || v[j-1] == '\t') {
		j--
	}
	if !hasDoubleSpace(v[i:j]) {
		return append(b, v[i:j]...)
	}
	space := false
	for ; i < j; i++ {
		c := v[i]
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b = append(b, c)
	}
	return b
}

// hasDoubleSpace reports whether v contains "  ", eight bytes at a time.
func hasDoubleSpace(v string) bool {
	const (
		low7  = 0x7F7F7F7F7F7F7F7F
		high  = 0x8080808080808080
		space = 0x2020202020202020
	)
	prev := uint64(0) // high bit set if the byte before this word is a space
	i := 0
	for ; i+8 <= len(v); i += 8 {
		w := v[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		// Exact per-byte test: the high bit of each byte of sp is set iff
		// that byte of x is a space (no carries cross bytes).
		y := x ^ space
		sp := ^((y&low7 + low7) | y) & high
		if sp&(sp>>8|prev) != 0 {
			return true
		}
		prev = sp >> 56
	}
	for ; i < len(v); i++ {
		isSpace := v[i] == ' '
		if isSpace && prev != 0 {
			return true
		}
		prev = 0
		if isSpace {
			prev = 1
		}
	}
	return false
}

// appendCanonicalPath URI-encodes the wire path again (the "double encoding"
// of non-S3 services), after removing "." and ".." segments and empty
// segments when normalize is set.
func appendCanonicalPath(b []byte, path string, normalize bool) []byte {
	if path == "" || path == "/" {
		return append(b, '/')
	}
	if !normalize || path[0] != '/' {
		return appendEncodedString(b, path, true)
	}
	start := len(b)
	last := ""
	for rest := path[1:]; ; {
		seg, tail, more := strings.Cut(rest, "/")
		last = seg
		switch seg {
		case "", ".":
		case "..":
			if i := bytes.LastIndexByte(b[start:], '/'); i >= 0 {
				b = b[:start+i]
			}
		default:
			b = append(b, '/')
			b = appendEncodedString(b, seg, false)
		}
		if !more {
			break
		}
		rest = tail
	}
	if len(b) == start {
		return append(b, '/')
	}
	if last == "" || last == "." || last == ".." {
		b = append(b, '/')
	}
	return b
}

// isNormalized reports whether appendCanonicalPath with and without
// normalization give the same result.
func isNormalized(path string) bool {
	if path == "" || path == "/" || path[0] != '/' {
		return true
	}
	rest := path[1:]
	for {
		seg, tail, more := strings.Cut(rest, "/")
		if seg == "." || seg == ".." || (seg == "" && more) {
			return false
		}
		if !more {
			return true
		}
		rest = tail
	}
}

const upperHex = "0123456789ABCDEF"

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// appendEncoded percent-encodes every byte outside the RFC 3986 unreserved
// set (and '/', if keepSlash), with upper-case hex.
func appendEncoded(b, src []byte, keepSlash bool) []byte {
	for _, c := range src {
		if unreserved(c) || (keepSlash && c == '/') {
			b = append(b, c)
			continue
		}
		b = append(b, '%', upperHex[c>>4], upperHex[c&15])
	}
	return b
}

func appendEncodedString(b []byte, src string, keepSlash bool) []byte {
	for i := 0; i < len(src); i++ {
		c := src[i]
		if unreserved(c) || (keepSlash && c == '/') {
			b = append(b, c)
			continue
		}
		b = append(b, '%', upperHex[c>>4], upperHex[c&15])
	}
	return b
}

// appendUnescape appends the query-decoded s; false on a bad escape.
func appendUnescape(b []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b = append(b, ' ')
		case '%':
			if i+2 >= len(s) {
				return b, false
			}
			h, l := unhex(s[i+1]), unhex(s[i+2])
			if h < 0 || l < 0 {
				return b, false
			}
			b = append(b, byte(h<<4|l))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return b, true
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}

// checkSignedHeaders requires a sorted list of distinct lower-case header
// names that includes host.
func checkSignedHeaders(sh string) error {
	prev, host := "", false
	for rest := sh; ; {
		name, tail, more := strings.Cut(rest, ";")
		if name == "" || (prev != "" && name <= prev) {
			return errSignedHeadersMalformed(sh)
		}
		for i := 0; i < len(name); i++ {
			if !headerNameByte(name[i]) {
				return errSignedHeadersMalformed(sh)
			}
		}
		if name == "host" {
			host = true
		}
		prev = name
		if !more {
			break
		}
		rest = tail
	}
	if !host {
		return errHostNotSigned()
	}
	return nil
}

// headerNameByte: RFC 9110 token characters, upper case excluded.
func headerNameByte(c byte) bool {
	if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
