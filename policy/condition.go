package policy

import (
	"bytes"
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/warden-iam/warden/arn"
)

// family groups condition operators by the type of value they compare.
type family uint8

const (
	familyString family = iota + 1
	familyNumeric
	familyDate
	familyBool
	familyBinary
	familyIP
	familyARN
	familyNull
)

// opKind is one base condition operator.
//
//sumtype:decl
type opKind uint8

// The base operators of [IAM JSON policy elements: Condition operators].
//
// [IAM JSON policy elements: Condition operators]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
const (
	opStringEquals opKind = iota + 1
	opStringNotEquals
	opStringEqualsIgnoreCase
	opStringNotEqualsIgnoreCase
	opStringLike
	opStringNotLike
	opNumericEquals
	opNumericNotEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateNotEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opNotIPAddress
	opArnEquals
	opArnLike
	opArnNotEquals
	opArnNotLike
	opNull
)

var opNames = map[string]opKind{
	"StringEquals": opStringEquals, "StringNotEquals": opStringNotEquals,
	"StringEqualsIgnoreCase": opStringEqualsIgnoreCase, "StringNotEqualsIgnoreCase": opStringNotEqualsIgnoreCase,
	"StringLike": opStringLike, "StringNotLike": opStringNotLike,
	"NumericEquals": opNumericEquals, "NumericNotEquals": opNumericNotEquals,
	"NumericLessThan": opNumericLessThan, "NumericLessThanEquals": opNumericLessThanEquals,
	"NumericGreaterThan": opNumericGreaterThan, "NumericGreaterThanEquals": opNumericGreaterThanEquals,
	"DateEquals": opDateEquals, "DateNotEquals": opDateNotEquals,
	"DateLessThan": opDateLessThan, "DateLessThanEquals": opDateLessThanEquals,
	"DateGreaterThan": opDateGreaterThan, "DateGreaterThanEquals": opDateGreaterThanEquals,
	"Bool": opBool, "BinaryEquals": opBinaryEquals,
	"IpAddress": opIPAddress, "NotIpAddress": opNotIPAddress,
	"ArnEquals": opArnEquals, "ArnLike": opArnLike, "ArnNotEquals": opArnNotEquals, "ArnNotLike": opArnNotLike,
	"Null": opNull,
}

// setQualifier is the ForAllValues / ForAnyValue prefix of an operator.
type setQualifier uint8

const (
	setNone setQualifier = iota
	setForAll
	setForAny
)

// operator is a parsed operator name such as "ForAnyValue:StringLikeIfExists".
type operator struct {
	kind     opKind
	set      setQualifier
	ifExists bool
	negated  bool
}

// parseOperator parses an operator name. AWS behaviour: operator names are
// case-sensitive, Null takes no IfExists suffix.
func parseOperator(name string) (operator, bool) {
	var op operator
	if rest, ok := strings.CutPrefix(name, "ForAllValues:"); ok {
		op.set, name = setForAll, rest
	} else if rest, ok := strings.CutPrefix(name, "ForAnyValue:"); ok {
		op.set, name = setForAny, rest
	}
	if rest, ok := strings.CutSuffix(name, "IfExists"); ok && rest != "Null" {
		if _, known := opNames[rest]; known {
			op.ifExists, name = true, rest
		}
	}
	k, ok := opNames[name]
	if !ok {
		return operator{}, false
	}
	op.kind = k
	switch k {
	case opStringNotEquals, opStringNotEqualsIgnoreCase, opStringNotLike, opNumericNotEquals,
		opDateNotEquals, opNotIPAddress, opArnNotEquals, opArnNotLike:
		op.negated = true
	}
	return op, true
}

func (op operator) family() family {
	switch {
	case op.kind <= opStringNotLike:
		return familyString
	case op.kind <= opNumericGreaterThanEquals:
		return familyNumeric
	case op.kind <= opDateGreaterThanEquals:
		return familyDate
	case op.kind == opBool:
		return familyBool
	case op.kind == opBinaryEquals:
		return familyBinary
	case op.kind <= opNotIPAddress:
		return familyIP
	case op.kind <= opArnNotLike:
		return familyARN
	}
	return familyNull
}

// allowsVariables reports whether values of this operator may hold policy
// variables. AWS behaviour: String, Arn and Bool operators substitute them;
// Numeric, Date, IP, Binary and Null do not.
func (op operator) allowsVariables() bool {
	switch op.family() {
	case familyString, familyARN, familyBool:
		return true
	}
	return false
}

// condValue is one policy value of a condition, decoded once for its
// operator's family.
type condValue struct {
	raw  string
	tmpl *template // set when the value holds policy variables
	pat  arn.Pattern
	arn  arn.ResourcePattern
	num  float64
	date time.Time
	ip   netip.Prefix
	bin  []byte
	ok   bool // the value decoded for its family; if not it never matches
}

// condition is one key of one operator block, compiled.
type condition struct {
	op     operator
	key    string // lower-cased: condition keys are case-insensitive
	rawKey string
	opName string
	values []condValue
}

func compileCondition(opName string, op operator, key string, vals []string, vars bool) condition {
	c := condition{op: op, key: strings.ToLower(key), rawKey: key, opName: opName}
	for _, raw := range vals {
		v := condValue{raw: raw, ok: true}
		if vars && op.allowsVariables() && strings.Contains(raw, "${") {
			v.tmpl = parseTemplate(raw)
		}
		switch op.family() {
		case familyString:
			if op.kind == opStringLike || op.kind == opStringNotLike {
				v.pat = arn.NewPattern(raw)
			}
		case familyARN:
			v.arn = arn.NewResourcePattern(raw)
		case familyNumeric:
			v.num, v.ok = parseDecimal(raw)
		case familyDate:
			v.date, v.ok = parseDate(raw)
		case familyIP:
			v.ip, v.ok = parseCIDR(raw)
		case familyBinary:
			v.bin, v.ok = decodeBase64(raw)
		case familyBool, familyNull:
			v.ok = strings.EqualFold(raw, "true") || strings.EqualFold(raw, "false")
			if v.tmpl != nil {
				v.ok = true
			}
		}
		c.values = append(c.values, v)
	}
	return c
}

// eval evaluates the condition against the request. AWS behaviour, from
// the condition operators page and "Multivalued context keys":
//   - values of one key are OR'ed; for a negated operator the result is the
//     negation of that OR (a NOR);
//   - an absent key makes a positive operator false and a negated one true,
//     ...IfExists true, ForAllValues true and ForAnyValue false;
//   - ForAllValues: every request value satisfies the operator;
//     ForAnyValue: at least one does.
//
// The bool result is false when a policy variable in a value cannot be
// resolved: AWS then treats the statement as not applying.
func (c *condition) eval(r *Prepared) (match, resolved bool) {
	vals, present := r.lookup(c.key)
	if c.op.kind == opNull {
		return c.evalNull(present && len(vals) > 0), true
	}
	if !present || len(vals) == 0 {
		switch {
		case c.op.ifExists, c.op.set == setForAll:
			return true, true
		case c.op.set == setForAny:
			return false, true
		}
		return c.op.negated, true
	}
	switch c.op.set {
	case setForAll:
		for _, rv := range vals {
			m, ok := c.evalOne(r, rv)
			if !ok {
				return false, false
			}
			if !m {
				return false, true
			}
		}
		return true, true
	case setForAny:
		for _, rv := range vals {
			m, ok := c.evalOne(r, rv)
			if !ok {
				return false, false
			}
			if m {
				return true, true
			}
		}
		return false, true
	}
	// No qualifier: AWS documents these operators for single-valued keys.
	// Given several request values, a positive operator matches if any of
	// them matches; a negated one if none matches its positive form.
	any := false
	for _, rv := range vals {
		m, ok := c.positive(r, rv)
		if !ok {
			return false, false
		}
		if m {
			any = true
			break
		}
	}
	return any != c.op.negated, true
}

// evalOne applies the operator, negation included, to one request value.
func (c *condition) evalOne(r *Prepared, rv string) (bool, bool) {
	m, ok := c.positive(r, rv)
	return m != c.op.negated, ok
}

func (c *condition) evalNull(present bool) bool {
	for _, v := range c.values {
		if strings.EqualFold(v.raw, "true") && !present || strings.EqualFold(v.raw, "false") && present {
			return true
		}
	}
	return false
}

// positive reports whether the request value rv matches any policy value
// under the positive form of the operator (StringEquals for
// StringNotEquals, and so on).
func (c *condition) positive(r *Prepared, rv string) (bool, bool) {
	for i := range c.values {
		v := &c.values[i]
		if !v.ok {
			continue
		}
		if v.tmpl != nil {
			m, ok := c.matchTemplate(r, v, rv)
			if !ok {
				return false, false
			}
			if m {
				return true, true
			}
			continue
		}
		if c.matchValue(v, rv) {
			return true, true
		}
	}
	return false, true
}

func (c *condition) matchTemplate(r *Prepared, v *condValue, rv string) (bool, bool) {
	parts, ok := v.tmpl.resolve(r)
	if !ok {
		return false, false
	}
	switch c.op.family() {
	case familyARN:
		return arn.NewResourcePatternFromParts(parts).Match(rv), true
	case familyString:
		if c.op.kind == opStringLike || c.op.kind == opStringNotLike {
			return arn.NewPatternFromParts(parts).Match(rv), true
		}
	}
	s := joinParts(parts)
	resolved := condValue{raw: s, ok: true}
	return c.matchValue(&resolved, rv), true
}

// matchValue compares one request value with one decoded policy value.
func (c *condition) matchValue(v *condValue, rv string) bool {
	switch c.op.kind {
	case opStringEquals, opStringNotEquals:
		return v.raw == rv
	case opStringEqualsIgnoreCase, opStringNotEqualsIgnoreCase:
		return strings.EqualFold(v.raw, rv)
	case opStringLike, opStringNotLike:
		return v.pat.Match(rv)
	case opArnEquals, opArnLike, opArnNotEquals, opArnNotLike:
		return v.arn.Match(rv)
	case opBool:
		return strings.EqualFold(v.raw, rv)
	case opBinaryEquals:
		b, ok := decodeBase64(rv)
		return ok && bytes.Equal(b, v.bin)
	case opIPAddress, opNotIPAddress:
		a, err := netip.ParseAddr(rv)
		return err == nil && v.ip.Contains(a.Unmap())
	}
	switch c.op.family() {
	case familyNumeric:
		f, ok := parseDecimal(rv)
		if !ok {
			return false
		}
		return compareOrdered(c.op.kind-opNumericEquals, cmpFloat(f, v.num))
	case familyDate:
		t, ok := parseDate(rv)
		if !ok {
			return false
		}
		return compareOrdered(c.op.kind-opDateEquals, t.Compare(v.date))
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareOrdered interprets cmp (request value compared with policy value)
// for the six ordered operators, which the Numeric and Date families list
// in the same order: Equals, NotEquals, LessThan, LessThanEquals,
// GreaterThan, GreaterThanEquals. NotEquals is handled as the negation of
// Equals by the caller, so here it means Equals.
func compareOrdered(rel opKind, cmp int) bool {
	switch rel {
	case 0, 1:
		return cmp == 0
	case 2:
		return cmp < 0
	case 3:
		return cmp <= 0
	case 4:
		return cmp > 0
	}
	return cmp >= 0
}

// parseDecimal parses an integer or decimal number as the Numeric operators
// take it: an optional sign, digits, and an optional fraction. Anything
// strconv.ParseFloat also accepts beyond that (NaN, infinities, hex floats,
// exponents, '_' separators) is not a number here: a caller-supplied "NaN"
// must never compare equal.
func parseDecimal(s string) (float64, bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits, dot := 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// dateLayouts are the W3C profiles of ISO 8601 that AWS accepts in Date
// conditions, most specific first.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006-01",
	"2006",
}

// parseDate parses an ISO 8601 date-time (a value without a zone is UTC)
// or epoch seconds.
func parseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if isDigits(s) {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		return time.Unix(sec, 0).UTC(), true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// parseCIDR parses an IPv4 or IPv6 CIDR block; a bare address is a /32 or
// /128. Addresses are unmapped so that ::ffff:10.0.0.1 matches 10.0.0.0/8.
func parseCIDR(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

func decodeBase64(s string) ([]byte, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
	}
	return b, err == nil
}
