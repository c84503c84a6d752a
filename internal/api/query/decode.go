package query

import (
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/warden-iam/warden/internal/awserr"
)

// Patterns are the constraint patterns of the AWS model that inputs use,
// by name: the text AWS prints in a ValidationError, and the regular
// expression (anchored) that checks it.
var patterns = map[string]struct {
	aws string
	re  *regexp.Regexp
}{}

// RegisterPattern adds a named pattern. awsText is the model's pattern as
// AWS prints it; goRE is the same in Go syntax, without anchors.
func RegisterPattern(name, awsText, goRE string) {
	patterns[name] = struct {
		aws string
		re  *regexp.Regexp
	}{awsText, regexp.MustCompile(`^(?:` + goRE + `)$`)}
}

func init() {
	RegisterPattern("name", `[\w+=,.@-]+`, `[\w+=,.@-]+`)
	RegisterPattern("path", `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, `(/)|(/[\x{0021}-\x{007E}]+/)`)
	RegisterPattern("pathPrefix", `\u002F[\u0021-\u007F]*`, `/[\x{0021}-\x{007F}]*`)
	RegisterPattern("policyDocument", `[\u0009\u000A\u000D\u0020-\u00FF]+`, `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+`)
	RegisterPattern("arn", `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`, `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{007E}\x{0085}\x{00A0}-\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}]+`)
	RegisterPattern("accessKeyId", `[\w]+`, `[\w]+`)
	RegisterPattern("marker", `[\u0020-\u00FF]+`, `[\x{0020}-\x{00FF}]+`)
	RegisterPattern("tagKey", `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`, `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
	RegisterPattern("tagValue", `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`)
	RegisterPattern("versionId", `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`, `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`)
	RegisterPattern("description", `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`, `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{007E}\x{00A1}-\x{00FF}]*`)
	RegisterPattern("statusType", `Active|Inactive|Expired`, `Active|Inactive|Expired`)
}

// field is one decoded struct field.
type field struct {
	index    int
	name     string // the wire name, e.g. "UserName"
	required bool
	min, max int // length bounds for strings and lists (max 0: none)
	minVal   *int64
	maxVal   *int64
	pattern  string
	enum     []string
}

var typeCache sync.Map // reflect.Type -> []field

func fieldsOf(t reflect.Type) []field {
	if f, ok := typeCache.Load(t); ok {
		return f.([]field)
	}
	var out []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("query")
		if !ok || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		f := field{index: i, name: name, required: opts == "required", pattern: sf.Tag.Get("pattern")}
		if v := sf.Tag.Get("min"); v != "" {
			f.min, _ = strconv.Atoi(v)
		}
		if v := sf.Tag.Get("max"); v != "" {
			f.max, _ = strconv.Atoi(v)
		}
		if v := sf.Tag.Get("minValue"); v != "" {
			n, _ := strconv.ParseInt(v, 10, 64)
			f.minVal = &n
		}
		if v := sf.Tag.Get("maxValue"); v != "" {
			n, _ := strconv.ParseInt(v, 10, 64)
			f.maxVal = &n
		}
		if v := sf.Tag.Get("enum"); v != "" {
			f.enum = strings.Split(v, "|")
		}
		if f.pattern != "" {
			if _, ok := patterns[f.pattern]; !ok {
				panic(fmt.Sprintf("query: %s.%s: unknown pattern %q", t, sf.Name, f.pattern))
			}
		}
		out = append(out, f)
	}
	typeCache.Store(t, out)
	return out
}

// decoder collects AWS's validation errors while filling a struct.
type decoder struct {
	form     url.Values
	problems []string
	err      *awserr.Error
}

// Decode fills dst (a pointer to a struct whose fields carry `query` tags)
// from form. Supported field types: string, *string, bool, *bool, int,
// *int, int64, *int64, []string (Name.member.N), []struct (Name.member.N.Field)
// and map[string]string (Name.entry.N.key / .value). It checks the model's
// constraints (`min`, `max`, `minValue`, `maxValue`, `pattern`, `enum`) and
// returns a ValidationError listing every violation as AWS words it. A
// parameter given twice is refused.
func Decode(form url.Values, dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		panic("query: Decode needs a pointer to a struct")
	}
	d := &decoder{form: form}
	for k, vals := range form {
		if len(vals) > 1 {
			return awserr.ValidationError("The parameter %s is given more than once.", k)
		}
	}
	d.decodeStruct(v.Elem(), "")
	if d.err != nil {
		return d.err
	}
	if len(d.problems) > 0 {
		n := len(d.problems)
		noun := "error"
		if n > 1 {
			noun = "errors"
		}
		return awserr.ValidationError("%d validation %s detected: %s", n, noun, strings.Join(d.problems, "; "))
	}
	return nil
}

// memberName is how AWS names a parameter in validation messages: the
// wire name with a lower-case first letter.
func memberName(name string) string {
	if name == "" {
		return name
	}
	r, size := utf8.DecodeRuneInString(name)
	return strings.ToLower(string(r)) + name[size:]
}

func (d *decoder) fail(format string, a ...any) {
	d.problems = append(d.problems, fmt.Sprintf(format, a...))
}

func (d *decoder) decodeStruct(v reflect.Value, prefix string) {
	for _, f := range fieldsOf(v.Type()) {
		key := prefix + f.name
		fv := v.Field(f.index)
		d.decodeField(fv, f, key)
	}
}

func (d *decoder) decodeField(fv reflect.Value, f field, key string) {
	member := memberName(f.name)
	switch fv.Kind() {
	case reflect.String, reflect.Pointer, reflect.Bool, reflect.Int, reflect.Int64:
		raw, present := d.scalar(key)
		if !present {
			if f.required {
				d.fail("Value null at '%s' failed to satisfy constraint: Member must not be null", member)
			}
			return
		}
		d.setScalar(fv, f, raw, member)
	case reflect.Slice:
		d.decodeList(fv, f, key, member)
	case reflect.Map:
		d.decodeMap(fv, f, key, member)
	default:
		panic(fmt.Sprintf("query: unsupported field kind %s for %s", fv.Kind(), key))
	}
}

func (d *decoder) scalar(key string) (string, bool) {
	vals, ok := d.form[key]
	if !ok || len(vals) == 0 {
		return "", false
	}
	return vals[0], true
}

func (d *decoder) setScalar(fv reflect.Value, f field, raw, member string) {
	target := fv
	if fv.Kind() == reflect.Pointer {
		target = reflect.New(fv.Type().Elem()).Elem()
	}
	switch target.Kind() {
	case reflect.String:
		d.checkString(f, raw, member)
		target.SetString(raw)
	case reflect.Bool:
		switch strings.ToLower(raw) {
		case "true":
			target.SetBool(true)
		case "false":
		default:
			d.fail("Value '%s' at '%s' failed to satisfy constraint: Member must be a boolean", raw, member)
			return
		}
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			d.err = awserr.ValidationError("Invalid value '%s' for %s: must be an integer.", raw, f.name)
			return
		}
		if f.minVal != nil && n < *f.minVal {
			d.fail("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", n, member, *f.minVal)
		}
		if f.maxVal != nil && n > *f.maxVal {
			d.fail("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", n, member, *f.maxVal)
		}
		target.SetInt(n)
	default:
		panic("query: unsupported scalar " + target.Kind().String())
	}
	if fv.Kind() == reflect.Pointer {
		p := reflect.New(fv.Type().Elem())
		p.Elem().Set(target)
		fv.Set(p)
	}
}

func (d *decoder) checkString(f field, s, member string) {
	n := utf8.RuneCountInString(s)
	if f.min > 0 && n < f.min {
		d.fail("Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", s, member, f.min)
	}
	if f.max > 0 && n > f.max {
		d.fail("Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", s, member, f.max)
	}
	if f.pattern != "" && s != "" {
		p := patterns[f.pattern]
		if !p.re.MatchString(s) {
			d.fail("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", s, member, p.aws)
		}
	}
	if len(f.enum) > 0 {
		for _, e := range f.enum {
			if s == e {
				return
			}
		}
		d.fail("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", s, member, strings.Join(f.enum, ", "))
	}
}

// indexes returns the member numbers present under prefix (prefix + "N" or
// prefix + "N."), sorted. AWS numbers members from 1.
func (d *decoder) indexes(prefix string) []int {
	seen := map[int]bool{}
	for k := range d.form {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || strconv.Itoa(n) != num {
			continue
		}
		seen[n] = true
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

func (d *decoder) decodeList(fv reflect.Value, f field, key, member string) {
	prefix := key + ".member."
	idx := d.indexes(prefix)
	if len(idx) == 0 {
		if _, present := d.form[key]; present {
			// "Name=" with no members: an empty list.
			fv.Set(reflect.MakeSlice(fv.Type(), 0, 0))
		} else if f.required {
			d.fail("Value null at '%s' failed to satisfy constraint: Member must not be null", member)
		}
		return
	}
	if f.max > 0 && len(idx) > f.max {
		d.fail("Value '[...]' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", member, f.max)
		return
	}
	if len(idx) > 1000 {
		d.err = awserr.ValidationError("The list %s has too many members.", f.name)
		return
	}
	list := reflect.MakeSlice(fv.Type(), len(idx), len(idx))
	elem := fv.Type().Elem()
	for i, n := range idx {
		ek := prefix + strconv.Itoa(n)
		ev := list.Index(i)
		switch elem.Kind() {
		case reflect.String:
			raw, _ := d.scalar(ek)
			d.checkString(field{pattern: f.pattern, enum: f.enum}, raw, member+".member")
			ev.SetString(raw)
		case reflect.Struct:
			d.decodeStruct(ev, ek+".")
		default:
			panic("query: unsupported list element " + elem.Kind().String())
		}
	}
	if f.min > 0 && list.Len() < f.min {
		d.fail("Value '[]' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", member, f.min)
	}
	fv.Set(list)
}

func (d *decoder) decodeMap(fv reflect.Value, f field, key, member string) {
	prefix := key + ".entry."
	idx := d.indexes(prefix)
	if len(idx) == 0 {
		if f.required {
			d.fail("Value null at '%s' failed to satisfy constraint: Member must not be null", member)
		}
		return
	}
	m := reflect.MakeMapWithSize(fv.Type(), len(idx))
	for _, n := range idx {
		k, _ := d.scalar(prefix + strconv.Itoa(n) + ".key")
		v, _ := d.scalar(prefix + strconv.Itoa(n) + ".value")
		m.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(v))
	}
	fv.Set(m)
}
