package postgres

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/warden-iam/warden/internal/store/internal/record"
)

// PostgreSQL text cannot hold a NUL byte, and IAM strings may hold one
// (the store keeps any valid UTF-8 verbatim). Every string therefore goes
// into the database escaped:
//
//	0x00 -> 0x01 0x01
//	0x01 -> 0x01 0x02
//
// and every other byte as itself. The escape is reversible, keeps the
// text valid UTF-8, and keeps byte order and prefixes: for strings a and
// b, a < b (bytewise) exactly when escape(a) < escape(b), and a is a
// prefix of b exactly when escape(a) is a prefix of escape(b). So the
// database can ORDER BY, compare with a page marker and match a path
// prefix (starts_with) on the escaped form, with every text column
// COLLATE "C" (bytewise). Strings without 0x00 and 0x01 (all real ones)
// are stored as they are.
func escape(s string) string {
	if strings.IndexByte(s, 0) < 0 && strings.IndexByte(s, 1) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			b.WriteString("\x01\x01")
		case 1:
			b.WriteString("\x01\x02")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

var errBadEscape = errors.New("postgres: stored text has a malformed escape")

// unescape reverses escape.
func unescape(s string) (string, error) {
	if strings.IndexByte(s, 1) < 0 {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != 1 {
			b.WriteByte(c)
			continue
		}
		if i+1 == len(s) {
			return "", errBadEscape
		}
		i++
		switch s[i] {
		case 1:
			b.WriteByte(0)
		case 2:
			b.WriteByte(1)
		default:
			return "", errBadEscape
		}
	}
	return b.String(), nil
}

// textDst scans a text column into a string, unescaping it; NULL is "".
type textDst struct{ p *string }

func (d textDst) ScanText(v pgtype.Text) error {
	if !v.Valid {
		*d.p = ""
		return nil
	}
	s, err := unescape(v.String)
	if err != nil {
		return err
	}
	*d.p = s
	return nil
}

// str returns the scan destination for a string column.
func str(p *string) textDst { return textDst{p} }

// timeDst scans a timestamptz column into a time.Time in UTC; NULL is the
// zero time.
type timeDst struct{ p *time.Time }

func (d timeDst) ScanTimestamptz(v pgtype.Timestamptz) error {
	if !v.Valid || v.InfinityModifier != pgtype.Finite {
		*d.p = time.Time{}
		return nil
	}
	*d.p = v.Time.UTC()
	return nil
}

// tm returns the scan destination for a time column.
func tm(p *time.Time) timeDst { return timeDst{p} }

// timeArg is the parameter for a time column: NULL for the zero time,
// else t in UTC truncated to the microsecond (PostgreSQL's precision;
// truncated here so the database does not round). Years outside 1-9999
// are refused, as the SQLite backend refuses them.
func timeArg(t time.Time) (any, error) {
	if t.IsZero() {
		return nil, nil
	}
	u := t.UTC()
	if y := u.Year(); y < 1 || y > 9999 {
		return nil, fmt.Errorf("postgres: time %v out of range (years 1-9999)", t)
	}
	return u.Truncate(time.Microsecond), nil
}

// rec converts records to and from their stored form: the JSON data
// columns (the SQLite backend's shapes, with times in record.TimeLayout,
// truncated to the microsecond as in the time columns), markers and
// string checks.
var rec = record.Codec{Backend: "postgres", TimePrecision: time.Microsecond}

// fold is the case fold of names: stored (escaped) in name_lower and
// compared there (record.Fold).
func fold(name string) string { return record.Fold(name) }
